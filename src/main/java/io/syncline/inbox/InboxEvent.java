package io.syncline.inbox;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** An accepted webhook event, claimed for processing. {@code attempts} counts this one. */
@RegisterForReflection
public record InboxEvent(long id, String routeId, String applyEndpoint, String entity, String sourceSystem,
                         String payload, int attempts, String eventId) {
}
