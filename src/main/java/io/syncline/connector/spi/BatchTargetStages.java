package io.syncline.connector.spi;

import io.syncline.failure.TargetRejectedException;
import io.syncline.sync.SyncUnit;
import org.apache.camel.Exchange;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The apply stages of a type whose provider writes many records a call and answers for each
 * record on its own. An event alone is written by the record calls; a batch's creates and updates
 * go to the provider's batch call ({@link #send}), up to {@link #limit} records a call, records of
 * one {@link #group} together. Where every record of the batch was written the batch commits;
 * else it is rolled back and each event applied on its own ({@link RecordsLeftAloneException}),
 * taking what the call did for its record ({@link BatchOutcomes}): written,
 * without a second call; refused, a dead letter at once with the provider's words; neither (asked
 * to wait, or no answer for it), sent again alone. A create goes in a batch only where
 * {@link #batchesCreate} (by default: the entity's match rules search the provider by a value the
 * record has), so that, should the batch be rolled back, its event alone finds what the call
 * created rather than making it twice; other creates, and deletes, are applied alone.
 */
public abstract class BatchTargetStages extends RecordTargetStages {

    private final String provider;
    private final BatchOutcomes<RecordOutcome> outcomes = new BatchOutcomes<>();

    protected BatchTargetStages(SystemType type, Context context, String provider) {
        super(type, context);
        this.provider = provider;
    }

    /** Most records the provider takes in one batch call. */
    protected abstract int limit();

    /** The call's name in the audit ({@code batch create Customer (10 records)}). */
    protected abstract String call(List<Pending> pending);

    /**
     * One batch call of {@code pending} (one {@link #group}, at most {@link #limit}); what the
     * provider answered for each, in order; null where the answer names none. A failure of the
     * whole call is thrown as the record calls throw theirs.
     */
    protected abstract List<RecordOutcome> send(String call, List<Pending> pending);

    /** Whether the records of a call are creates (else updates). */
    protected static boolean creating(List<Pending> pending) {
        return pending.get(0).planned().kind() == Planned.Kind.CREATE;
    }

    /** The records of a call, in the system's shape. */
    protected static List<Map<String, Object>> rows(List<Pending> pending) {
        return pending.stream().map(each -> each.planned().row()).toList();
    }

    /** The ids of a call's records: null for each create. */
    protected static List<String> ids(List<Pending> pending) {
        return pending.stream().map(each -> each.planned().kind() == Planned.Kind.CREATE ? null : each.unit().targetId()).toList();
    }

    /** Records of one group share calls: by default the same write (create, update), entity and target. */
    protected String group(Pending pending) {
        return pending.planned().kind() + " " + pending.unit().entity() + "/" + pending.unit().target();
    }

    /** Whether a create may go in a batch that may be rolled back: only where a search finds it again. */
    protected boolean batchesCreate(SyncUnit unit) {
        return !SearchTerms.of(context().registry().current(), unit.entity(), unit.target(), unit.values()).isEmpty();
    }

    /** The record's id from its batch's call, where its rolled-back batch wrote it; else {@link #createAlone}. */
    @Override
    protected final String create(Exchange exchange, SyncUnit unit, Map<String, Object> row) throws Exception {
        RecordOutcome outcome = taken(unit, row);
        return outcome != null ? outcome.id() : createAlone(exchange, unit, row);
    }

    /** Nothing, where its rolled-back batch's call wrote it; else {@link #updateAlone}. */
    @Override
    protected final void update(Exchange exchange, SyncUnit unit, String id, Map<String, Object> row) throws Exception {
        if (taken(unit, row) == null) {
            updateAlone(exchange, unit, id, row);
        }
    }

    /** Creates the unit's record by the record call; returns its new id. */
    protected String createAlone(Exchange exchange, SyncUnit unit, Map<String, Object> row) throws Exception {
        return super.create(exchange, unit, row);
    }

    /** Updates the unit's record {@code id} by the record call. */
    protected void updateAlone(Exchange exchange, SyncUnit unit, String id, Map<String, Object> row) throws Exception {
        super.update(exchange, unit, id, row);
    }

    /**
     * What a call of the event's rolled-back batch did for exactly this write: noted; thrown when
     * the provider refused it. Null when there is none: the write is to be sent.
     */
    private RecordOutcome taken(SyncUnit unit, Object write) {
        BatchOutcomes.Kept<RecordOutcome> kept = unit.inboxId() == null ? null
                : outcomes.take(new BatchOutcomes.Key(unit.inboxId(), unit.target()), write);
        if (kept == null) {
            return null;
        }
        RecordOutcome outcome = kept.result();
        unit.note(provider + " " + kept.call() + " (its batch's call): " + outcome.describe());
        if (!outcome.success()) {
            throw new TargetRejectedException(unit.target(), outcome.status(), outcome.error(), unit.target() + " refused "
                    + kept.call() + ": " + outcome.error());
        }
        return outcome;
    }

    @Override
    protected void writeBatch(Exchange batch, List<Exchange> events) {
        Map<String, List<Pending>> groups = new LinkedHashMap<>();
        int alone = 0;
        for (Pending pending : planned(events)) {
            Planned.Kind kind = pending.planned().kind();
            if (kind == Planned.Kind.DELETE || kind == Planned.Kind.CREATE && (pending.unit().inboxId() == null
                    || !batchesCreate(pending.unit()))) {
                alone++; // deletes, and creates no search finds again, go alone: the batch may be rolled back
            } else {
                groups.computeIfAbsent(group(pending), key -> new ArrayList<>()).add(pending);
            }
        }
        List<Runnable> keep = new ArrayList<>();
        int left = alone;
        for (List<Pending> pending : groups.values()) {
            for (int from = 0; from < pending.size(); from += limit()) {
                left += sendAndRecord(pending.subList(from, Math.min(from + limit(), pending.size())), keep);
            }
        }
        if (left > 0) {
            // kept only for a batch about to be rolled back: its events, applied alone, take them
            keep.forEach(Runnable::run);
            throw new RecordsLeftAloneException(provider, left, alone);
        }
    }

    /** One batch call; each record written recorded on its unit. Returns how many it did not write. */
    private int sendAndRecord(List<Pending> pending, List<Runnable> keep) {
        String call = call(pending);
        List<RecordOutcome> answered;
        try {
            answered = send(call, pending);
        } catch (RuntimeException e) {
            pending.forEach(each -> each.unit().note(provider + " " + call + ": " + e.getMessage()));
            throw e;
        }
        int left = 0;
        for (int i = 0; i < pending.size(); i++) {
            SyncUnit unit = pending.get(i).unit();
            Planned planned = pending.get(i).planned();
            RecordOutcome outcome = i < answered.size() ? answered.get(i) : null;
            if (outcome == null) {
                unit.note(provider + " " + call + ": no result for this record");
                left++;
                continue;
            }
            unit.note(provider + " " + call + ": " + outcome.describe());
            if (outcome.success()) {
                Planned done = new Planned(outcome.created() ? Planned.Kind.CREATE : Planned.Kind.UPDATE, planned.row(),
                        planned.diff());
                try {
                    written(unit, done, outcome.id());
                } catch (SQLException e) {
                    throw new IllegalStateException("Linking " + unit.target() + " record " + outcome.id() + " failed: "
                            + e.getMessage(), e);
                }
                outcomes.keepLater(keep, unit.inboxId(), unit.target(), call, planned.row(), outcome);
            } else {
                if (!outcome.transientFailure()) {
                    outcomes.keepLater(keep, unit.inboxId(), unit.target(), call, planned.row(), outcome);
                }
                left++;
            }
        }
        return left;
    }
}
