package io.syncline.sync;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.audit.AuditEntry;
import io.syncline.conflict.FieldConflict;

import java.util.List;
import java.util.Map;

/**
 * What applying a record would have done to its target, found by a dry run
 * ({@link io.syncline.exchange.ExchangeContract#DRY_RUN}) that wrote and committed nothing.
 *
 * @param action    created, updated, unchanged or deleted; or a skip (duplicate, stale, echo, refused)
 * @param targetId  the target record it would write (null for one it would create)
 * @param matchRule the rule that found the target record, null when the ID map linked it or none did
 * @param changes   field by field, what an update would change
 * @param reason    why a skipped record goes no further
 * @param conflicts the fields changed on both sides that a conflict strategy decided, each with its decision
 * @param values    the canonical values the target would be given, as the conflict processor resolved them; null for a skip
 */
@RegisterForReflection
public record DryRunOutcome(AuditEntry.Action action, String targetId, String matchRule,
        Map<String, AuditEntry.FieldChange> changes, String reason, List<FieldConflict> conflicts, Map<String, Object> values) {

    public DryRunOutcome {
        conflicts = conflicts == null ? List.of() : List.copyOf(conflicts);
    }

    /** A record that goes no further than the idempotent consumer: a duplicate, a stale change, an echo, a refusal. */
    public static DryRunOutcome skipped(AuditEntry.Action action, String reason) {
        return new DryRunOutcome(action, null, null, null, reason, null, null);
    }
}
