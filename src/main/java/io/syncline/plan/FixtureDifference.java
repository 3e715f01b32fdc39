package io.syncline.plan;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where a fixture event's outcome in a target under the candidate model differs from the outcome
 * recorded in the fixture (docs/plan.md#fixtures-in-ci), one field at a time; or, where one writes
 * and the other does not, the two outcomes with their reasons as field {@code outcome}.
 *
 * @param inboxId   the inbox event the fixture was captured from, if it says
 * @param event     the event's place in the fixture, from 0
 * @param record    the record's key in its source
 * @param target    the target system
 * @param field     the canonical field, or {@code outcome}
 * @param recorded  the value (or outcome) the fixture recorded
 * @param candidate the value (or outcome) the candidate decides now
 */
@RegisterForReflection
public record FixtureDifference(Long inboxId, int event, String record, String target, String field, Object recorded,
        Object candidate) {
}
