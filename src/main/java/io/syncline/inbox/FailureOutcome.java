package io.syncline.inbox;

import io.syncline.audit.AuditEntry;
import io.syncline.audit.AuditLog;
import io.syncline.exchange.ExchangeContract;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.metrics.SyncMetrics;
import io.syncline.sync.SyncUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.Exchange;

import java.sql.SQLException;

/** Audits and counts an event that ended held for review, as a dead letter, or refused (an erased person's). */
@ApplicationScoped
public class FailureOutcome {

    @Inject
    AuditLog audit;
    @Inject
    SyncMetrics metrics;

    /** @param unit the sync unit the apply route had opened, if it got that far */
    void record(Exchange exchange, SyncUnit unit, AuditEntry.Action action, String reason) throws SQLException {
        Long inboxId = exchange.getProperty(ExchangeContract.INBOX_ID, Long.class);
        String runId = inboxId == null ? null : "inbox-" + inboxId;
        // a record stopped before its unit opened (a missing parent, a held field) still names its target
        String target = unit != null ? unit.target() : exchange.getProperty(ExchangeContract.TARGET, String.class);
        String eventKey = unit == null ? null : unit.eventKey();
        // The record as far as the route got: canonical once transformed, else only the inbox's facts.
        CanonicalRecord record = unit != null ? unit.record() : exchange.getMessage().getBody() instanceof CanonicalRecord read ? read : null;
        audit.record(record != null
                ? AuditEntry.of(action, record, target, runId, inboxId, eventKey, reason)
                : new AuditEntry(action, exchange.getProperty(ExchangeContract.ENTITY, "unknown", String.class), null,
                        exchange.getProperty(ExchangeContract.SOURCE_SYSTEM, String.class), null, target, null, runId,
                        inboxId, eventKey, null, null, reason));
        metrics.event(exchange.getProperty(ExchangeContract.SOURCE_ROUTE, String.class),
                switch (action) {
                    case HELD -> SyncMetrics.Outcome.HELD;
                    case REFUSED -> SyncMetrics.Outcome.REFUSED;
                    default -> SyncMetrics.Outcome.FAILED;
                });
    }
}
