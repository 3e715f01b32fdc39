package io.syncline.matching;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/** One link of the cross-system ID map: the record {@code canonicalId} is {@code systemId} in {@code system}, since {@code linkedAt}. */
@RegisterForReflection
public record IdMapLink(String entity, String canonicalId, String system, String systemId, Instant linkedAt) {
}
