package io.syncline.sync;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.audit.AuditEntry;

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
 */
@RegisterForReflection
public record DryRunOutcome(AuditEntry.Action action, String targetId, String matchRule,
        Map<String, AuditEntry.FieldChange> changes, String reason) {
}
