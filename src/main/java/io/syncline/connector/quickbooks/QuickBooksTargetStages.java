package io.syncline.connector.quickbooks;

import io.syncline.connector.RecordTargetStages;
import io.syncline.sync.SyncUnit;
import org.apache.camel.Exchange;

import java.util.Map;

/**
 * The apply stages of a QuickBooks target: the record calls of {@link QuickBooksSystemType}, each
 * noted for the audit (an update with the {@code SyncToken} it was accepted with, and how often the
 * record was read again after a Stale Object Error).
 */
final class QuickBooksTargetStages extends RecordTargetStages {

    private final QuickBooksSystemType type;

    QuickBooksTargetStages(QuickBooksSystemType type, Context context) {
        super(type, context);
        this.type = type;
    }

    @Override
    protected String create(Exchange exchange, SyncUnit unit, Map<String, Object> row) {
        String id = type.create(unit.entity(), unit.target(), row);
        unit.note("quickbooks create: created " + id);
        return id;
    }

    @Override
    protected void update(Exchange exchange, SyncUnit unit, String id, Map<String, Object> row) {
        QuickBooksSystemType.Updated updated = type.updateWithToken(unit.entity(), unit.target(), id, row);
        unit.note("quickbooks update " + id + ": updated with SyncToken " + updated.syncToken()
                + (updated.reads() > 1 ? " (read " + updated.reads() + " times: Stale Object Error)" : ""));
    }
}
