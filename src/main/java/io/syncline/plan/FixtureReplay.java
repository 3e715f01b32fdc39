package io.syncline.plan;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A replay of fixtures (docs/plan.md#fixtures-in-ci): each event of a fixture document decided
 * again in each target by the candidate model, in the sandbox of a shadow replay, and compared
 * with the outcome the fixture recorded; a shadow replay's report, the recorded outcome in the
 * place of the running model's.
 *
 * @param model       {@code candidate} (model files sent) or {@code running}
 * @param events      the fixture's events replayed
 * @param differing   per target, the events whose outcome there differs
 * @param differences each field that differs, with the recorded and the candidate's value
 * @param complete    false where the replay stopped at its time bound
 * @param exitCode    0 nothing differs, 2 something does
 */
@RegisterForReflection
public record FixtureReplay(String id, String model, String entity, String source, Instant started, double seconds, long events,
        Map<String, Long> differing, List<FixtureDifference> differences, boolean complete, int exitCode) {
}
