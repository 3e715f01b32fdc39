package io.syncline.plan;

import io.syncline.model.ModelFile;

import java.time.Duration;
import java.util.List;

/**
 * What to plan.
 *
 * @param files    the candidate model's files; none: the running model (a new sync's plan, or a look at drift)
 * @param entities the entities to plan; none: every entity whose source can be read
 * @param source   the system the records are read from; null: each entity's master
 * @param targets  the targets; none: every other system the entity maps with fields to write
 * @param limit    at most this many records read per entity (a sample, in the source's order); null: all
 * @param timeout  how long the plan may read and decide before it stops, reporting what it found (incomplete)
 */
public record PlanRequest(List<ModelFile> files, List<String> entities, String source, List<String> targets, Long limit,
        Duration timeout) {

    public PlanRequest {
        files = files == null ? List.of() : List.copyOf(files);
        entities = entities == null ? List.of() : List.copyOf(entities);
        targets = targets == null ? List.of() : List.copyOf(targets);
    }
}
