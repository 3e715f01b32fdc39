package io.syncline.connector.hubspot;

import io.syncline.audit.AuditEntry;
import io.syncline.connector.RecordTargetStages;
import io.syncline.failure.TargetRejectedException;
import io.syncline.sync.ApplyEvents;
import io.syncline.sync.SyncUnit;
import io.syncline.write.RestTarget;
import org.apache.camel.Exchange;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The apply stages of a HubSpot target. An event alone is written by its record call (a create
 * after the search found no match, an update, a delete). The updates of a batch go to
 * {@code POST …/batch/update}, up to {@value HubSpotSystemType#BATCH_LIMIT} inputs a call; HubSpot
 * answers 200, or 207 with {@code errors[]} naming the ids it refused, and each record's outcome is
 * its own. Where every record of the batch was written the batch commits; else it is rolled back
 * and each event applied on its own ({@link RecordsLeftAloneException}), taking what the call did
 * for its record ({@link BatchOutcomes}): written, without a second call; refused, a dead letter
 * at once with HubSpot's message; neither (no answer for it), sent again alone. Creates and
 * deletes of a batch are applied alone, as the ID map must link a new record before anything else.
 */
final class HubSpotTargetStages extends RecordTargetStages {

    private final HubSpotSystemType type;
    private final BatchOutcomes outcomes = new BatchOutcomes();

    HubSpotTargetStages(HubSpotSystemType type, Context context) {
        super(type, context);
        this.type = type;
    }

    @Override
    public void write(Exchange exchange) throws Exception {
        if (ApplyEvents.batch(exchange)) {
            writeBatch(ApplyEvents.admitted(exchange));
        } else {
            super.write(exchange);
        }
    }

    @Override
    protected String create(Exchange exchange, SyncUnit unit, Map<String, Object> row) {
        String id = type.create(unit.entity(), unit.target(), row);
        unit.note("hubspot create " + type.target(unit.entity(), unit.target()).resource() + ": created " + id);
        return id;
    }

    @Override
    protected void update(Exchange exchange, SyncUnit unit, String id, Map<String, Object> row) {
        BatchOutcomes.Outcome outcome = unit.inboxId() == null ? null
                : outcomes.take(new BatchOutcomes.Key(unit.inboxId(), unit.target()), row);
        if (outcome != null) {
            unit.note("hubspot " + outcome.call() + " (its batch's call): " + (outcome.error() == null ? "updated" : outcome.error()));
            if (outcome.error() != null) {
                throw new TargetRejectedException(unit.target(), outcome.status(), outcome.error(), unit.target() + " refused "
                        + outcome.call() + " for " + id + ": " + outcome.error());
            }
            return;
        }
        type.update(unit.entity(), unit.target(), id, row);
        unit.note("hubspot update " + id + ": updated");
    }

    /** An update of a batch bound for a batch call. */
    private record Pending(SyncUnit unit, Planned planned) {
    }

    private void writeBatch(List<Exchange> events) {
        Map<String, List<Pending>> updates = new LinkedHashMap<>();
        int alone = 0;
        for (Exchange event : events) {
            SyncUnit unit = SyncUnit.of(event);
            Planned planned = plan(unit);
            switch (planned.kind()) {
                case UNCHANGED -> unit.written(unit.targetId(), AuditEntry.Action.UNCHANGED, planned.diff());
                case UPDATE -> updates.computeIfAbsent(unit.entity() + "/" + unit.target(), key -> new ArrayList<>())
                        .add(new Pending(unit, planned));
                case CREATE, DELETE -> alone++;
            }
        }
        List<Runnable> keep = new ArrayList<>();
        int left = alone;
        for (List<Pending> pending : updates.values()) {
            for (int from = 0; from < pending.size(); from += HubSpotSystemType.BATCH_LIMIT) {
                left += send(pending.subList(from, Math.min(from + HubSpotSystemType.BATCH_LIMIT, pending.size())), keep);
            }
        }
        if (left > 0) {
            // kept only for a batch about to be rolled back: its events, applied alone, take them
            keep.forEach(Runnable::run);
            throw new RecordsLeftAloneException(left, alone);
        }
    }

    /**
     * One {@code batch/update} call; each record HubSpot wrote is recorded on its unit, and
     * {@code keep} gets what keeps each outcome for its event alone. Returns how many records the
     * call did not write.
     */
    private int send(List<Pending> pending, List<Runnable> keep) {
        SyncUnit first = pending.get(0).unit();
        RestTarget target = type.target(first.entity(), first.target());
        String call = "batch/update " + target.resource() + " (" + pending.size() + " records)";
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (Pending each : pending) {
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("id", each.unit().targetId());
            input.put("properties", HubSpotSystemType.properties(target, each.planned().row()));
            inputs.add(input);
        }
        HttpResponse<String> response;
        try {
            response = type.client().call(target, "POST", URI.create(target.collection() + "/batch/update"),
                    Map.of("inputs", inputs), status -> false);
        } catch (RuntimeException e) {
            pending.forEach(each -> each.unit().note("hubspot " + call + ": " + e.getMessage()));
            throw e;
        }
        BatchAnswer answer = BatchAnswer.of(type.object(target, "POST batch/update", response), response.statusCode());
        int left = 0;
        for (Pending each : pending) {
            SyncUnit unit = each.unit();
            String id = unit.targetId();
            BatchAnswer.Refusal refusal = answer.refusals().get(id);
            if (answer.written().contains(id)) {
                unit.note("hubspot " + call + ": updated");
                recordWritten(unit, each.planned(), id);
                keepOutcome(keep, unit, call, each.planned().row(), null, 0);
            } else if (refusal != null && !refusal.transientFailure()) {
                unit.note("hubspot " + call + ": " + refusal.message());
                keepOutcome(keep, unit, call, each.planned().row(), refusal.message(), refusal.status());
                left++;
            } else {
                unit.note("hubspot " + call + ": " + (refusal == null ? "no result for " + id : refusal.message()));
                left++;
            }
        }
        return left;
    }

    private void recordWritten(SyncUnit unit, Planned planned, String id) {
        try {
            written(unit, planned, id);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Linking " + unit.target() + " record " + id + " failed: " + e.getMessage(), e);
        }
    }

    private void keepOutcome(List<Runnable> keep, SyncUnit unit, String call, Map<String, Object> row, String error, int status) {
        Long inboxId = unit.inboxId();
        if (inboxId != null) {
            keep.add(() -> outcomes.put(new BatchOutcomes.Key(inboxId, unit.target()), call, row, error, status));
        }
    }
}
