package io.syncline.connector.hubspot;

import io.syncline.connector.rest.RestTarget;
import io.syncline.connector.spi.BatchTargetStages;
import io.syncline.connector.spi.RecordOutcome;
import io.syncline.sync.SyncUnit;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The apply stages of a HubSpot target. An event alone is written by its record call (a create
 * after the search found no match, an update, a delete). The updates of a batch go to
 * {@code POST …/batch/update}, its creates to {@code POST …/batch/create} (each input carrying its
 * event's inbox id as {@code objectWriteTraceId}, by which HubSpot's results are told apart), up to
 * {@value HubSpotSystemType#BATCH_LIMIT} inputs a call; HubSpot answers 200, or 207 with
 * {@code errors[]} naming the records it refused, and each record's outcome is its own
 * ({@link BatchTargetStages}).
 */
final class HubSpotTargetStages extends BatchTargetStages {

    private final HubSpotSystemType type;

    HubSpotTargetStages(HubSpotSystemType type, Context context) {
        super(type, context, "hubspot");
        this.type = type;
    }

    @Override
    protected String createAlone(Exchange exchange, SyncUnit unit, Map<String, Object> row) {
        String id = type.create(unit.entity(), unit.target(), row);
        unit.note("hubspot create " + type.target(unit.entity(), unit.target()).resource() + ": created " + id);
        return id;
    }

    @Override
    protected void updateAlone(Exchange exchange, SyncUnit unit, String id, Map<String, Object> row) {
        List<String> associations = type.updated(unit.entity(), unit.target(), id, row);
        unit.note("hubspot update " + id + ": updated" + (associations.isEmpty() ? "" : ", " + String.join(", ", associations)));
    }

    @Override
    protected int limit() {
        return HubSpotSystemType.BATCH_LIMIT;
    }

    @Override
    protected String call(List<Pending> pending) {
        SyncUnit first = pending.get(0).unit();
        return "batch/" + operation(pending) + " " + type.target(first.entity(), first.target()).resource() + " ("
                + pending.size() + " records)";
    }

    /**
     * One {@code batch/update} or {@code batch/create} call; a created record is told by the
     * {@code objectWriteTraceId} its input carried, an updated one by its id.
     */
    @Override
    protected List<RecordOutcome> send(String call, List<Pending> pending) {
        SyncUnit first = pending.get(0).unit();
        RestTarget target = type.target(first.entity(), first.target());
        String operation = operation(pending);
        boolean creating = operation.equals("create");
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (Pending each : pending) {
            SyncUnit unit = each.unit();
            Map<String, Object> input;
            if (creating) {
                input = HubSpotSystemType.forCreate(target, each.planned().row(), type.associations(unit.entity(), unit.target()));
                input.put("objectWriteTraceId", unit.inboxId().toString());
            } else {
                input = new LinkedHashMap<>();
                input.put("id", unit.targetId());
                input.put("properties", HubSpotSystemType.properties(target, each.planned().row()));
            }
            inputs.add(input);
        }
        BatchAnswer answer = type.batch(target, operation, inputs);
        List<RecordOutcome> outcomes = new ArrayList<>();
        for (Pending each : pending) {
            String key = creating ? each.unit().inboxId().toString() : each.unit().targetId();
            String id = creating ? answer.created().get(key) : answer.written().contains(key) ? key : null;
            BatchAnswer.Refusal refusal = answer.refusals().get(key);
            outcomes.add(id != null ? RecordOutcome.written(id, creating)
                    : refusal == null ? null
                    : refusal.transientFailure() ? RecordOutcome.retry(refusal.message(), refusal.status())
                    : RecordOutcome.refused(refusal.message(), refusal.status()));
        }
        return outcomes;
    }

    private static String operation(List<Pending> pending) {
        return pending.get(0).planned().kind() == Planned.Kind.CREATE ? "create" : "update";
    }
}
