package io.syncline.plan;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A sync plan: what a model (a candidate, or the one running) would do to each target with the
 * records it read, nothing of it written.
 *
 * @param model     {@code candidate} (model files given with the request) or {@code running}
 * @param complete  false when the plan stopped at its time bound before reading its sources through
 * @param entities  per entity: its source, the records read and each target's outcomes
 * @param summary   by target, the count of each outcome over every entity
 * @param lines     every record whose outcome is not {@code unchanged}, per target
 * @param changes   whether any target would be written: a create, an update or a delete
 * @param exitCode  what {@code bin/syncline plan} exits with: 2 when the plan changes something, else 0
 */
@RegisterForReflection
public record Plan(String id, String model, Instant startedAt, double seconds, boolean complete, String stoppedBy,
        List<EntityPlan> entities, Map<String, Map<String, Long>> summary, List<PlanLine> lines, List<String> notes,
        boolean changes, int exitCode) {

    /** One entity's part of the plan. */
    @RegisterForReflection
    public record EntityPlan(String entity, String source, List<String> targets, long recordsRead, long limit,
            Map<String, Map<String, Long>> outcomes) {
    }
}
