package io.syncline.connector.hubspot;

import io.syncline.audit.AuditEntry;
import io.syncline.connector.RecordTargetStages;
import io.syncline.failure.TargetRejectedException;
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
 * {@code POST …/batch/update}, its creates to {@code POST …/batch/create} (each input carrying its
 * event's inbox id as {@code objectWriteTraceId}, by which HubSpot's results are told apart), up to
 * {@value HubSpotSystemType#BATCH_LIMIT} inputs a call; HubSpot answers 200, or 207 with
 * {@code errors[]} naming the records it refused, and each record's outcome is its own. Where every record of the batch was written the batch commits; else it is rolled back
 * and each event applied on its own ({@link RecordsLeftAloneException}), taking what the call did
 * for its record ({@link BatchOutcomes}): written, without a second call; refused, a dead letter
 * at once with HubSpot's message; neither (no answer for it), sent again alone. A create goes in a
 * batch only where the entity's match rules search HubSpot by a value the record has, so that,
 * should the batch be rolled back, its event alone finds what the call created rather than making
 * it twice; other creates, and deletes, are applied alone.
 */
final class HubSpotTargetStages extends RecordTargetStages {

    private final HubSpotSystemType type;
    private final BatchOutcomes outcomes = new BatchOutcomes();

    HubSpotTargetStages(HubSpotSystemType type, Context context) {
        super(type, context);
        this.type = type;
    }

    @Override
    protected String create(Exchange exchange, SyncUnit unit, Map<String, Object> row) {
        BatchOutcomes.Outcome outcome = taken(unit, row);
        if (outcome != null) {
            return outcome.id();
        }
        String id = type.create(unit.entity(), unit.target(), row);
        unit.note("hubspot create " + type.target(unit.entity(), unit.target()).resource() + ": created " + id);
        return id;
    }

    @Override
    protected void update(Exchange exchange, SyncUnit unit, String id, Map<String, Object> row) {
        if (taken(unit, row) != null) {
            return;
        }
        type.update(unit.entity(), unit.target(), id, row);
        unit.note("hubspot update " + id + ": updated");
    }

    /**
     * What a call of the event's rolled-back batch did for exactly this write: noted; thrown when
     * HubSpot refused it. Null when there is none.
     */
    private BatchOutcomes.Outcome taken(SyncUnit unit, Map<String, Object> row) {
        BatchOutcomes.Outcome outcome = unit.inboxId() == null ? null
                : outcomes.take(new BatchOutcomes.Key(unit.inboxId(), unit.target()), row);
        if (outcome == null) {
            return null;
        }
        unit.note("hubspot " + outcome.call() + " (its batch's call): " + (outcome.error() != null ? outcome.error()
                : outcome.created() ? "created " + outcome.id() : "updated"));
        if (outcome.error() != null) {
            throw new TargetRejectedException(unit.target(), outcome.status(), outcome.error(), unit.target() + " refused "
                    + outcome.call() + ": " + outcome.error());
        }
        return outcome;
    }

    /** A record of a batch bound for a batch call, and its input there. */
    private record Pending(SyncUnit unit, Planned planned, Map<String, Object> input) {
    }

    @Override
    protected void writeBatch(Exchange batch, List<Exchange> events) {
        Map<String, List<Pending>> updates = new LinkedHashMap<>();
        Map<String, List<Pending>> creates = new LinkedHashMap<>();
        int alone = 0;
        for (Exchange event : events) {
            SyncUnit unit = SyncUnit.of(event);
            Planned planned = plan(unit);
            String call = unit.entity() + "/" + unit.target();
            switch (planned.kind()) {
                case UNCHANGED -> unit.written(unit.targetId(), AuditEntry.Action.UNCHANGED, planned.diff());
                case UPDATE -> {
                    Map<String, Object> input = new LinkedHashMap<>();
                    input.put("id", unit.targetId());
                    input.put("properties", HubSpotSystemType.properties(type.target(unit.entity(), unit.target()), planned.row()));
                    updates.computeIfAbsent(call, key -> new ArrayList<>()).add(new Pending(unit, planned, input));
                }
                case CREATE -> {
                    if (unit.inboxId() == null || !type.searchable(unit.entity(), unit.target(), unit.values())) {
                        alone++; // only what a search finds again may be created in a batch that may be rolled back
                    } else {
                        Map<String, Object> input = HubSpotSystemType.forCreate(type.target(unit.entity(), unit.target()),
                                planned.row());
                        input.put("objectWriteTraceId", unit.inboxId().toString());
                        creates.computeIfAbsent(call, key -> new ArrayList<>()).add(new Pending(unit, planned, input));
                    }
                }
                case DELETE -> alone++;
            }
        }
        List<Runnable> keep = new ArrayList<>();
        int left = alone;
        for (List<Pending> pending : updates.values()) {
            for (int from = 0; from < pending.size(); from += HubSpotSystemType.BATCH_LIMIT) {
                left += send("update", pending.subList(from, Math.min(from + HubSpotSystemType.BATCH_LIMIT, pending.size())), keep);
            }
        }
        for (List<Pending> pending : creates.values()) {
            for (int from = 0; from < pending.size(); from += HubSpotSystemType.BATCH_LIMIT) {
                left += send("create", pending.subList(from, Math.min(from + HubSpotSystemType.BATCH_LIMIT, pending.size())), keep);
            }
        }
        if (left > 0) {
            // kept only for a batch about to be rolled back: its events, applied alone, take them
            keep.forEach(Runnable::run);
            throw new RecordsLeftAloneException(left, alone);
        }
    }

    /**
     * One {@code batch/update} or {@code batch/create} call; each record HubSpot wrote is recorded
     * on its unit (a created one by the {@code objectWriteTraceId} its input carried), and
     * {@code keep} gets what keeps each outcome for its event alone. Returns how many records the
     * call did not write.
     */
    private int send(String operation, List<Pending> pending, List<Runnable> keep) {
        SyncUnit first = pending.get(0).unit();
        RestTarget target = type.target(first.entity(), first.target());
        String call = "batch/" + operation + " " + target.resource() + " (" + pending.size() + " records)";
        boolean creating = operation.equals("create");
        HttpResponse<String> response;
        try {
            response = type.client().call(target, "POST", URI.create(target.collection() + "/batch/" + operation),
                    Map.of("inputs", pending.stream().map(Pending::input).toList()), status -> false);
        } catch (RuntimeException e) {
            pending.forEach(each -> each.unit().note("hubspot " + call + ": " + e.getMessage()));
            throw e;
        }
        BatchAnswer answer = BatchAnswer.of(type.object(target, "POST batch/" + operation, response), response.statusCode());
        int left = 0;
        for (Pending each : pending) {
            SyncUnit unit = each.unit();
            String key = creating ? String.valueOf(each.input().get("objectWriteTraceId")) : unit.targetId();
            String id = creating ? answer.created().get(key) : answer.written().contains(key) ? key : null;
            BatchAnswer.Refusal refusal = answer.refusals().get(key);
            Map<String, Object> row = each.planned().row();
            if (id != null) {
                unit.note("hubspot " + call + ": " + (creating ? "created " + id : "updated"));
                recordWritten(unit, each.planned(), id);
                keepOutcome(keep, unit, new BatchOutcomes.Outcome(call, row, id, creating, null, 0));
            } else if (refusal != null && !refusal.transientFailure()) {
                unit.note("hubspot " + call + ": " + refusal.message());
                keepOutcome(keep, unit, new BatchOutcomes.Outcome(call, row, null, creating, refusal.message(), refusal.status()));
                left++;
            } else {
                unit.note("hubspot " + call + ": " + (refusal == null ? "no result for " + key : refusal.message()));
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

    private void keepOutcome(List<Runnable> keep, SyncUnit unit, BatchOutcomes.Outcome outcome) {
        long inboxId = unit.inboxId();
        keep.add(() -> outcomes.put(new BatchOutcomes.Key(inboxId, unit.target()), outcome));
    }
}
