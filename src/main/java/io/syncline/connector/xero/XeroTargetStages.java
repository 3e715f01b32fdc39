package io.syncline.connector.xero;

import io.syncline.connector.BatchTargetStages;
import io.syncline.connector.RecordOutcome;
import io.syncline.sync.SyncUnit;

import java.util.List;

/**
 * The apply stages of a Xero target: an event alone by the record calls; a batch's creates in one
 * {@code PUT} and its updates in one {@code POST} on the collection with
 * {@code summarizeErrors=false}, up to {@value XeroSystemType#BATCH_LIMIT} contacts a call, each
 * contact's {@code StatusAttributeString} its own outcome ({@link BatchTargetStages}).
 */
final class XeroTargetStages extends BatchTargetStages {

    private final XeroSystemType type;

    XeroTargetStages(XeroSystemType type, Context context) {
        super(type, context, "xero");
        this.type = type;
    }

    @Override
    protected int limit() {
        return XeroSystemType.BATCH_LIMIT;
    }

    @Override
    protected String call(List<Pending> pending) {
        SyncUnit first = pending.get(0).unit();
        return (creating(pending) ? "PUT " : "POST ") + type.target(first.entity(), first.target()).resource()
                + "?summarizeErrors=false (" + pending.size() + " records)";
    }

    @Override
    protected List<RecordOutcome> send(String call, List<Pending> pending) {
        SyncUnit first = pending.get(0).unit();
        return type.batch(first.entity(), first.target(), creating(pending),
                pending.stream().map(each -> each.planned().row()).toList(),
                pending.stream().map(each -> each.unit().targetId()).toList());
    }

    private static boolean creating(List<Pending> pending) {
        return pending.get(0).planned().kind() == Planned.Kind.CREATE;
    }
}
