package io.syncline.plan;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A shadow replay's report (docs/plan.md): the events of an entity from a source, accepted in a
 * window and applied, each decided again in each target by the running model and by the candidate,
 * in a sandbox that writes nothing; where the two differ, field by field.
 *
 * @param events      the events replayed
 * @param differing   per target, the events whose outcome there differs
 * @param differences each field that differs, with both values
 * @param complete    false where the replay stopped at its time bound
 * @param exitCode    0 nothing differs, 2 something does
 */
@RegisterForReflection
public record ShadowReplay(String id, String entity, String source, Instant from, Instant to, Instant started, double seconds,
        long events, Map<String, Long> differing, List<ShadowDifference> differences, boolean complete, int exitCode) {
}
