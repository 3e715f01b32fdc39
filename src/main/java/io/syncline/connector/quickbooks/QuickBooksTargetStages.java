package io.syncline.connector.quickbooks;

import io.syncline.connector.spi.BatchTargetStages;
import io.syncline.connector.spi.RecordOutcome;
import io.syncline.connector.spi.SearchTerms;
import io.syncline.sync.SyncUnit;
import org.apache.camel.Exchange;

import java.util.List;
import java.util.Map;

/**
 * The apply stages of a QuickBooks target: the record calls of {@link QuickBooksSystemType}, each
 * noted for the audit (an update with the {@code SyncToken} it was accepted with, and how often the
 * record was read again after a Stale Object Error); a batch's creates and updates of one entity
 * in QuickBooks' batch operation, {@value QuickBooksSystemType#BATCH_LIMIT} items a request, each
 * item's answer its record's own outcome ({@link BatchTargetStages}). Each write carries the
 * {@code requestid} of its inbox event ({@link QuickBooksRequestId}), so that QuickBooks answers a
 * write sent again with what the first did.
 */
final class QuickBooksTargetStages extends BatchTargetStages {

    private final QuickBooksSystemType type;

    QuickBooksTargetStages(QuickBooksSystemType type, Context context) {
        super(type, context, "quickbooks");
        this.type = type;
    }

    @Override
    protected String createAlone(Exchange exchange, SyncUnit unit, Map<String, Object> row) {
        String id = type.create(unit.entity(), unit.target(), row, QuickBooksRequestId.of(unit));
        unit.note("quickbooks create: created " + id);
        return id;
    }

    @Override
    protected void updateAlone(Exchange exchange, SyncUnit unit, String id, Map<String, Object> row) {
        QuickBooksSystemType.Updated updated = type.updateWithToken(unit.entity(), unit.target(), id, row,
                QuickBooksRequestId.of(unit));
        unit.note("quickbooks update " + id + ": updated with SyncToken " + updated.syncToken()
                + (updated.reads() > 1 ? " (read " + updated.reads() + " times: Stale Object Error)" : ""));
    }

    @Override
    protected int limit() {
        return QuickBooksSystemType.BATCH_LIMIT;
    }

    /** Creates and updates of one entity share a batch request. */
    @Override
    protected String group(Pending pending) {
        return pending.unit().entity() + "/" + pending.unit().target();
    }

    /** QuickBooks is searched by nested members too ({@code PrimaryEmailAddr.Address}). */
    @Override
    protected boolean batchesCreate(SyncUnit unit) {
        return !SearchTerms.nested(context().registry().current(), unit.entity(), unit.target(), unit.values()).isEmpty();
    }

    @Override
    protected String call(List<Pending> pending) {
        return "batch (" + pending.size() + " items)";
    }

    @Override
    protected List<RecordOutcome> send(String call, List<Pending> pending) {
        SyncUnit first = pending.get(0).unit();
        return type.batch(first.entity(), first.target(), rows(pending), ids(pending),
                pending.stream().map(each -> QuickBooksRequestId.of(each.unit())).toList());
    }
}
