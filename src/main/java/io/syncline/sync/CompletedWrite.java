package io.syncline.sync;

import io.syncline.audit.AuditEntry;
import io.syncline.audit.FieldDiff;
import io.syncline.sensitive.SensitiveValues;
import io.syncline.state.RecordState;

import java.util.Map;

/**
 * An event applied again after an attempt whose target write committed while its state-store
 * transaction did not: a target outside that transaction (a JDBC target on another database, an
 * HTTP API) and a crash, a lost state store or a failure between the two commits. The target
 * then already holds what the event writes and the write stage finds nothing to change; but
 * nothing recorded the earlier write, so the attempt that records it is the write's completion,
 * audited as the create or update it is, not as {@code unchanged} (docs/real-time.md).
 *
 * <p>Known as such when the event was attempted before (its inbox attempt is not the first) and
 * the target's record state does not hold what the target holds now: no state (the write created
 * the record) or one with other values (it updated them, the diff taken from those). A first
 * attempt that finds its values already there, or a target whose state holds them, is unchanged.
 */
final class CompletedWrite {

    private CompletedWrite() {
    }

    /** Turns the unit's {@code unchanged} into the create or update an earlier attempt of its event made. */
    static void recognise(SyncUnit unit, SensitiveValues sensitive) {
        if (unit.action() != AuditEntry.Action.UNCHANGED || unit.record().deleted() || unit.attempt() <= 1
                || unit.values() == null) {
            return;
        }
        RecordState state = unit.targetState().filter(known -> !known.deleted()).orElse(null);
        Map<String, Object> recorded = state == null ? null : state.fieldValues();
        // the state keeps a sensitive field's digest: compared by digests
        Map<String, AuditEntry.FieldChange> diff = FieldDiff.between(recorded, sensitive.seal(unit.entity(), unit.values()));
        if (diff.isEmpty()) {
            return;
        }
        unit.note("completes the write of an earlier attempt: " + unit.target() + " held these values,"
                + " its record state did not");
        unit.written(unit.targetId(), state == null ? AuditEntry.Action.CREATED : AuditEntry.Action.UPDATED, diff);
    }
}
