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
 * Where a replayed event's outcome in a target under the candidate model differs from the running
 * model's, one field at a time: the value each would leave in the target; or, where one writes and
 * the other does not (a reject, a hold, a skip), the two outcomes with their reasons as field
 * {@code outcome}.
 *
 * @param inboxId   the replayed inbox event
 * @param record    the record's key in its source
 * @param target    the target system
 * @param field     the target's field, or {@code outcome}
 * @param running   what the running model leaves in it (or its outcome)
 * @param candidate what the candidate leaves in it (or its outcome)
 */
@RegisterForReflection
public record ShadowDifference(long inboxId, String record, String target, String field, Object running, Object candidate) {

    /** The outcomes that write the record's fields, whose values are then compared field by field. */
    private static final Set<String> WRITES = Set.of("create", "update", "unchanged");

    /** The differences of two decisions of one event in one target; none where both leave the target alike. */
    static List<ShadowDifference> between(long inboxId, String record, String target, DryRunDecision running,
            DryRunDecision candidate) {
        List<ShadowDifference> differences = new ArrayList<>();
        if (!WRITES.contains(running.outcome()) || !WRITES.contains(candidate.outcome())) {
            if (!running.outcome().equals(candidate.outcome()) || !Objects.equals(running.reason(), candidate.reason())) {
                differences.add(new ShadowDifference(inboxId, record, target, "outcome", told(running), told(candidate)));
            }
            return differences;
        }
        Map<String, Map<String, Object>> before = running.changes() == null ? Map.of() : running.changes();
        Map<String, Map<String, Object>> after = candidate.changes() == null ? Map.of() : candidate.changes();
        Set<String> fields = new LinkedHashSet<>(before.keySet());
        fields.addAll(after.keySet());
        for (String field : fields) {
            // a field one model leaves as it is keeps the value the other found there ("from")
            Object left = before.containsKey(field) ? before.get(field).get("to") : after.get(field).get("from");
            Object right = after.containsKey(field) ? after.get(field).get("to") : before.get(field).get("from");
            if (!Objects.equals(left, right)) {
                differences.add(new ShadowDifference(inboxId, record, target, field, left, right));
            }
        }
        return differences;
    }

    /** A decision that writes nothing, named with its reason: {@code reject: required field email is missing}. */
    private static String told(DryRunDecision decision) {
        return decision.reason() == null || WRITES.contains(decision.outcome()) ? decision.outcome()
                : decision.outcome() + ": " + decision.reason();
    }
}
