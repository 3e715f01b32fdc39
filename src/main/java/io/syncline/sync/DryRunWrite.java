package io.syncline.sync;

import io.syncline.audit.AuditEntry;
import io.syncline.audit.FieldDiff;
import io.syncline.exchange.ExchangeContract;
import org.apache.camel.Exchange;

import java.util.Map;

/**
 * The target write stage of a dry run ({@link ExchangeContract#DRY_RUN}): decides what the write
 * would be, from the values the conflict processor resolved and what the target holds now, and
 * writes nothing. Whatever the target's type: the decision is the one every writer makes.
 */
public final class DryRunWrite {

    private DryRunWrite() {
    }

    /** Whether the exchange's records are applied as a dry run. */
    public static boolean active(Exchange exchange) {
        return Boolean.TRUE.equals(exchange.getProperty(ExchangeContract.DRY_RUN, Boolean.class));
    }

    /** Records on each admitted event's unit what its write would be. */
    public static void decide(Exchange exchange) {
        ApplyEvents.forEachAdmitted(exchange, event -> {
            SyncUnit unit = SyncUnit.of(event);
            if (unit.record().deleted()) {
                unit.written(unit.targetId(), AuditEntry.Action.DELETED, null);
                return;
            }
            Map<String, AuditEntry.FieldChange> diff = FieldDiff.between(unit.targetValues(), unit.values());
            AuditEntry.Action action = unit.targetValues() == null ? AuditEntry.Action.CREATED
                    : diff.isEmpty() ? AuditEntry.Action.UNCHANGED : AuditEntry.Action.UPDATED;
            unit.written(unit.targetId(), action, diff);
        });
    }
}
