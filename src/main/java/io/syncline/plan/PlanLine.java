package io.syncline.plan;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.backfill.DryRunDecision;
import io.syncline.conflict.FieldConflict;

import java.util.List;
import java.util.Map;

/**
 * What a plan found one record would come to in one target.
 *
 * @param outcome   create, update, unchanged, delete, hold (review queue), reject (dead letter) or skip
 * @param targetId  the target's record it would write (null for a create)
 * @param matchRule the match rule that found it, with its confidence ({@code idMap (1.0)} where the ID map links it)
 * @param changes   each field the write changes, its value now and after
 * @param conflicts the fields changed on both sides, each with the strategy that decided and how
 * @param reason    why it would be held, rejected or skipped: the rule, field or strategy
 */
@RegisterForReflection
public record PlanLine(String entity, String target, String sourceKey, String outcome, String targetId, String matchRule,
        Map<String, Map<String, Object>> changes, List<Conflict> conflicts, String reason) {

    /** A field changed on both sides, and the strategy's decision. */
    @RegisterForReflection
    public record Conflict(String field, String strategy, String decision, String winner, Object sourceValue, Object targetValue) {

        static Conflict of(FieldConflict conflict) {
            return new Conflict(conflict.field(), conflict.strategy(),
                    conflict.resolution() == null ? null : conflict.resolution().name().toLowerCase(java.util.Locale.ROOT),
                    conflict.winner(), conflict.sourceValue(), conflict.targetValue());
        }
    }

    static PlanLine of(String entity, String target, String sourceKey, DryRunDecision decision) {
        return new PlanLine(entity, target, sourceKey, decision.outcome(), decision.targetId(), decision.matchRule(),
                decision.changes() == null || decision.changes().isEmpty() ? null : decision.changes(),
                decision.conflicts().isEmpty() ? null : decision.conflicts().stream().map(Conflict::of).toList(), decision.reason());
    }
}
