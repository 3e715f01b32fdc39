package io.syncline.backfill;

import io.syncline.conflict.ConflictHeldException;
import io.syncline.conflict.FieldConflict;
import io.syncline.exchange.ExchangeContract;
import io.syncline.failure.PermanentFailure;
import io.syncline.mapping.RecordHeldException;
import io.syncline.matching.AmbiguousMatchException;
import io.syncline.rules.RuleHeldException;
import io.syncline.sync.DryRunOutcome;
import io.syncline.sync.SyncUnit;
import io.syncline.tombstone.SubjectErasedException;
import org.apache.camel.Exchange;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a record sent down an apply route as a dry run ({@link ExchangeContract#DRY_RUN}) would
 * come to in its target, read from the exchange the route returned: the write's outcome, or the
 * stage that stopped it (held for review, rejected, skipped). A backfill's dry run and a sync plan
 * report the same decisions. It sits with the jobs, not among the stages, since it knows every
 * stage's exceptions, the privacy guard's among them, which itself uses the stages.
 *
 * @param outcome    create, update, unchanged, delete, hold (review queue), reject (dead letter) or skip
 * @param targetId   the target's record (null for one to create)
 * @param matchRule  the match rule that found it, with its confidence
 * @param changes    for an update, each field's value now and after: {@code {"email": {"from": …, "to": …}}};
 *                   null where a stage stopped the record before its write
 * @param reason     why it would be held, rejected or skipped
 * @param unresolved the references whose parent is not linked in the target
 * @param conflicts  the fields changed on both sides, each with the strategy that decided it and its decision
 * @param values     the canonical values the target would be given (all of them, not only those that change);
 *                   null where a stage stopped the record before its write
 */
public record DryRunDecision(String outcome, String targetId, String matchRule, Map<String, Map<String, Object>> changes,
        String reason, int unresolved, List<FieldConflict> conflicts, Map<String, Object> values) {

    /**
     * The decision of the dry run that returned {@code done}; its unit rolled back if a stage left it open.
     *
     * @throws Exception the failure of a target or the store, which is no decision about the record
     */
    public static DryRunDecision of(Exchange done) throws Exception {
        SyncUnit unit = done.getProperty(ExchangeContract.SYNC_UNIT, SyncUnit.class);
        if (unit != null && unit.isOpen()) {
            unit.rollback(); // a stage failed after the idempotent consumer opened it
        }
        int unresolved = done.getProperty(ExchangeContract.UNRESOLVED_REFERENCES, 0, Integer.class);
        Exception failure = done.getException();
        if (failure != null) {
            String outcome = failure instanceof SubjectErasedException ? "skip"
                    : PermanentFailure.isPermanent(failure) ? "reject"
                    : failure instanceof RecordHeldException || failure instanceof AmbiguousMatchException
                            || failure instanceof ConflictHeldException || failure instanceof RuleHeldException ? "hold"
                    : null;
            if (outcome == null) {
                throw failure;
            }
            return new DryRunDecision(outcome, null, null, null, failure.getMessage(), unresolved, List.of(), null);
        }
        DryRunOutcome outcome = done.getProperty(ExchangeContract.DRY_RUN_OUTCOME, DryRunOutcome.class);
        if (outcome == null) {
            return new DryRunDecision("skip", null, null, null, "stopped before its target's write", unresolved, List.of(), null);
        }
        Map<String, Map<String, Object>> changes = new LinkedHashMap<>();
        if (outcome.changes() != null) {
            outcome.changes().forEach((field, change) -> {
                Map<String, Object> fromTo = new LinkedHashMap<>();
                fromTo.put("from", change.from());
                fromTo.put("to", change.to());
                changes.put(field, fromTo);
            });
        }
        boolean written = switch (outcome.action()) {
            case CREATED, UPDATED, UNCHANGED, DELETED -> true;
            default -> false;
        };
        String name = switch (outcome.action()) {
            case CREATED -> "create";
            case UPDATED -> "update";
            case UNCHANGED -> "unchanged";
            case DELETED -> "delete";
            default -> "skip";
        };
        String reason = outcome.reason() != null ? outcome.reason() : written ? null : outcome.action().code();
        return new DryRunDecision(name, outcome.targetId(), outcome.matchRule(), changes, reason, unresolved, outcome.conflicts(),
                outcome.values());
    }

    /** Whether the target would be written: a create, an update or a delete. */
    public boolean writes() {
        return outcome.equals("create") || outcome.equals("update") || outcome.equals("delete");
    }
}
