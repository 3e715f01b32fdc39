package io.syncline.plan;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.backfill.DryRunDecision;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a model decides for one fixture event in one target (docs/plan.md#fixtures-in-ci): the
 * action, and for a write the canonical values the target would be given, all of them; for an
 * event it would not write, the reason. Create, update and unchanged are alike here: whether the
 * target already holds the record depends on the deployment, not on the model, and a fixture
 * replayed on a fresh one must not differ for that alone.
 *
 * @param action create, update, unchanged, delete, hold, reject, skip, or none (the model does not write the target)
 * @param reason why it would be held, rejected or skipped; null for a write
 * @param values the fields the target would be given; null where nothing would be written
 */
@RegisterForReflection
public record FixtureOutcome(String action, String reason, Map<String, Object> values) {

    /** The actions that give the target its values, compared field by field. */
    private static final Set<String> WRITES = Set.of("create", "update", "unchanged");

    /** A target the model does not write at all. */
    static FixtureOutcome none(String target) {
        return new FixtureOutcome("none", "the model does not write " + target, null);
    }

    /** {@code values}: the decision's values as JSON reads them back, so that a recorded and a new outcome compare alike. */
    static FixtureOutcome of(DryRunDecision decision, Map<String, Object> values) {
        boolean writes = WRITES.contains(decision.outcome());
        return new FixtureOutcome(decision.outcome(), writes ? null : decision.reason(), writes ? values : null);
    }

    boolean writes() {
        return WRITES.contains(action);
    }

    /** Where {@code candidate} differs from this recorded outcome: field by field between two writes, else field {@code outcome}. */
    List<FixtureDifference> differences(Long inboxId, int event, String record, String target, FixtureOutcome candidate) {
        List<FixtureDifference> differences = new ArrayList<>();
        if (!writes() || !candidate.writes()) {
            if (!action.equals(candidate.action()) || !Objects.equals(reason, candidate.reason())) {
                differences.add(new FixtureDifference(inboxId, event, record, target, "outcome", told(), candidate.told()));
            }
            return differences;
        }
        Map<String, Object> recorded = values == null ? Map.of() : values;
        Map<String, Object> now = candidate.values() == null ? Map.of() : candidate.values();
        Set<String> fields = new LinkedHashSet<>(recorded.keySet());
        fields.addAll(now.keySet());
        for (String field : fields) {
            if (!Objects.equals(recorded.get(field), now.get(field))) {
                differences.add(new FixtureDifference(inboxId, event, record, target, field, recorded.get(field), now.get(field)));
            }
        }
        return differences;
    }

    /** An outcome that writes nothing, named with its reason: {@code reject: required field email is missing}. */
    private String told() {
        return reason == null || writes() ? action : action + ": " + reason;
    }
}
