package io.syncline.connector.spi;

import io.syncline.audit.AuditEntry;
import io.syncline.audit.FieldDiff;
import io.syncline.compiled.CompiledModel;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.MatchCandidate;
import io.syncline.model.Ability;
import io.syncline.state.RecordState;
import io.syncline.sync.ApplyEvents;
import io.syncline.sync.BatchReadAhead;
import io.syncline.sync.SyncUnit;
import org.apache.camel.Exchange;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The target stages of a type that writes one record at a time, each write committed by the
 * system itself ({@link SystemType#create}, {@link SystemType#update}, {@link SystemType#delete}).
 * Matching searches the system where the type can ({@link Ability#SEARCH}) and compares with its
 * current values where it reads them back ({@link Ability#READ_BACK}, and the system lets it:
 * {@link ReadBack#readsBack(SystemType, io.syncline.model.SystemDefinition)}), else with what
 * Syncline last wrote there. A linked record that reading back finds gone is not written blindly
 * ({@link TargetRecordGoneException}). A created record's id is linked in the ID map at once, on a connection of its
 * own: should the sync unit then fail, the retry updates that record instead of creating a
 * second one.
 *
 * <p>A type whose calls say more than the record calls (which call it made, how it came out, for
 * the audit) overrides {@link #create}, {@link #update} and {@link #delete}.
 */
public class RecordTargetStages implements TargetStages {

    private final SystemType type;
    private final Context context;
    private final boolean searches;

    public RecordTargetStages(SystemType type, Context context) {
        this.type = type;
        this.context = context;
        this.searches = type.abilities().contains(Ability.SEARCH);
    }

    /**
     * Matches the exchange's event, or each admitted event of its batch. In a batch, where the type
     * looks many records up in one call ({@link SystemType#searchBatchLimit}), the candidates of all
     * the batch's records new to the ID map are looked up at the first one's asking, that many a
     * call ({@link BatchReadAhead#matchCandidates}); and since a batch's events are all matched
     * before any is written, two that find one record, or one that would find what an earlier one
     * writes, make the batch fall back to one event at a time ({@link BatchMatchCheck}).
     */
    @Override
    public void match(Exchange exchange) throws Exception {
        CompiledModel model = context.registry().current();
        boolean batch = ApplyEvents.batch(exchange);
        List<CanonicalRecord> batchNew = batch && searches && type.searchBatchLimit() > 0
                ? BatchReadAhead.newRecords(exchange) : List.of();
        BatchMatchCheck independent = new BatchMatchCheck();
        ApplyEvents.forEachAdmitted(exchange, event -> {
            SyncUnit admitted = SyncUnit.of(event);
            boolean readsBack = readsBack(model, admitted);
            context.matching().match(event, model.matcher(admitted.entity()), new TargetMatching.Lookup() {

                @Override
                public List<MatchCandidate> search(SyncUnit unit) throws Exception {
                    if (!searches) {
                        return List.of();
                    }
                    List<MatchCandidate> ahead = batchNew.isEmpty() ? null
                            : context.readAhead().matchCandidates(unit, () -> searchAll(unit.target(), batchNew.stream()
                                    .filter(record -> record.entity().equals(unit.entity())).toList()));
                    return ahead != null ? ahead : type.search(unit.target(), unit.record());
                }

                @Override
                public boolean readsBack() {
                    return readsBack;
                }

                @Override
                public Map<String, Object> current(SyncUnit unit, String id) throws Exception {
                    return readsBack ? ReadBack.canonical(model, type, unit.entity(), unit.target(), id).orElse(null) : null;
                }
            });
            if (batch) {
                independent.check(admitted, model.matcher(admitted.entity()));
            }
        });
    }

    /**
     * The candidates of the batch's new records of one entity in {@code target}, by canonical id:
     * looked up {@link SystemType#searchBatchLimit} records a call.
     */
    private Map<String, List<MatchCandidate>> searchAll(String target, List<CanonicalRecord> records) {
        Map<String, List<MatchCandidate>> byCanonicalId = new HashMap<>();
        int limit = type.searchBatchLimit();
        for (int from = 0; from < records.size(); from += limit) {
            List<CanonicalRecord> call = records.subList(from, Math.min(from + limit, records.size()));
            List<List<MatchCandidate>> found;
            try {
                found = type.searchAll(target, call);
            } catch (RuntimeException e) {
                throw e; // as thrown: a refusal is permanent, and a Retry-After pauses the system
            } catch (Exception e) {
                throw new IllegalStateException("Searching " + target + " for " + call.size() + " records failed: "
                        + e.getMessage(), e);
            }
            for (int i = 0; i < call.size(); i++) {
                byCanonicalId.put(call.get(i).canonicalId(), found.get(i));
            }
        }
        return byCanonicalId;
    }

    /** Whether the unit's target is read back: its type can, and the system lets it. */
    private boolean readsBack(CompiledModel model, SyncUnit unit) {
        return ReadBack.readsBack(type, model.model().systems().get(unit.target()));
    }

    @Override
    public void write(Exchange exchange) throws Exception {
        if (ApplyEvents.batch(exchange)) {
            writeBatch(exchange, ApplyEvents.admitted(exchange));
        } else {
            ApplyEvents.forEachAdmitted(exchange, this::writeEvent);
        }
    }

    /**
     * A batch's admitted {@code events}: by default each written alone; a type whose API writes
     * many records a call writes them together.
     */
    protected void writeBatch(Exchange batch, List<Exchange> events) throws Exception {
        ApplyEvents.forEachAdmitted(batch, this::writeEvent);
    }

    /** Writes one event's record alone, its write committed by the system. */
    protected void writeEvent(Exchange exchange) throws Exception {
        SyncUnit unit = SyncUnit.of(exchange);
        unit.outsideTransaction("Writing " + unit.target() + " (type " + type.name() + ")");
        Planned planned = plan(unit);
        switch (planned.kind()) {
            case DELETE -> {
                if (unit.targetId() == null) {
                    unit.note(unit.target() + " has no such record");
                } else if (!delete(exchange, unit)) {
                    unit.note(unit.target() + " had deleted it already");
                }
                unit.written(unit.targetId(), AuditEntry.Action.DELETED, null);
            }
            case UNCHANGED -> unit.written(unit.targetId(), AuditEntry.Action.UNCHANGED, planned.diff());
            case CREATE -> written(unit, planned, create(exchange, unit, planned.row()));
            case UPDATE -> {
                update(exchange, unit, unit.targetId(), planned.row());
                written(unit, planned, unit.targetId());
            }
        }
    }

    /** What the write of a unit's record is to be, decided before any call. */
    public record Planned(Kind kind, Map<String, Object> row, Map<String, AuditEntry.FieldChange> diff) {

        public enum Kind {
            DELETE, UNCHANGED, CREATE, UPDATE
        }
    }

    /** A batch's event bound for a call that writes many records: its unit and the write planned for it. */
    public record Pending(SyncUnit unit, Planned planned) {
    }

    /**
     * The writes a batch's events need, in order, each {@linkplain #plan planned}; an event whose
     * target already holds its values is recorded as unchanged at once, and left out.
     */
    protected List<Pending> planned(List<Exchange> events) {
        List<Pending> writes = new ArrayList<>();
        for (Exchange event : events) {
            SyncUnit unit = SyncUnit.of(event);
            Planned planned = plan(unit);
            if (planned.kind() == Planned.Kind.UNCHANGED) {
                unit.written(unit.targetId(), AuditEntry.Action.UNCHANGED, planned.diff());
            } else {
                writes.add(new Pending(unit, planned));
            }
        }
        return writes;
    }

    /**
     * The write the unit's record needs: a deletion; nothing, when the target already holds its
     * values; else its row in the system's shape, to create where the ID map links no record and
     * to update where it does.
     */
    protected Planned plan(SyncUnit unit) {
        CanonicalRecord record = unit.record();
        if (record.deleted()) {
            return new Planned(Planned.Kind.DELETE, null, null);
        }
        if (unit.targetId() != null && unit.targetValues() == null && readsBack(context.registry().current(), unit)) {
            throw new TargetRecordGoneException(unit.target(), unit.entity(), unit.targetId());
        }
        Map<String, Object> before = unit.targetValues() != null ? unit.targetValues()
                : unit.targetState().map(RecordState::fieldValues).orElse(null);
        Map<String, AuditEntry.FieldChange> diff = FieldDiff.between(before, unit.values());
        if (unit.targetId() != null && before != null && diff.isEmpty()) {
            return new Planned(Planned.Kind.UNCHANGED, null, diff);
        }
        Map<String, Object> row = context.registry().current().transformer().toSystem(record.entity(), unit.target(), unit.valuesForTarget());
        return new Planned(unit.targetId() == null ? Planned.Kind.CREATE : Planned.Kind.UPDATE, row, diff);
    }

    /**
     * The planned create or update was written as record {@code id}: linked in the ID map at once
     * (on a connection of its own, so that a retry finds it; in a batch, with the batch's writes),
     * and told to the unit.
     */
    protected void written(SyncUnit unit, Planned planned, String id) throws SQLException {
        CanonicalRecord record = unit.record();
        if (!unit.linked() && unit.batched()) {
            // with the batch's writes: a batch rolled back takes the link with it, and the event
            // applied alone links what its write finds (an upsert by external id finds it again)
            context.idMap().linkNew(unit.writes(), record.entity(), record.canonicalId(), unit.target(), id);
        } else if (!unit.linked()) {
            context.idMap().link(record.entity(), record.canonicalId(), unit.target(), id);
        }
        unit.written(id, planned.kind() == Planned.Kind.CREATE ? AuditEntry.Action.CREATED : AuditEntry.Action.UPDATED,
                planned.diff());
    }

    /** Creates the unit's record, {@code row} in the system's shape; returns its new id. */
    protected String create(Exchange exchange, SyncUnit unit, Map<String, Object> row) throws Exception {
        return type.create(unit.entity(), unit.target(), row);
    }

    /** Updates the unit's record {@code id} with {@code row}. */
    protected void update(Exchange exchange, SyncUnit unit, String id, Map<String, Object> row) throws Exception {
        type.update(unit.entity(), unit.target(), id, row);
    }

    /** Deletes the unit's record; false when it was gone already. */
    protected boolean delete(Exchange exchange, SyncUnit unit) throws Exception {
        return type.delete(unit.entity(), unit.target(), unit.targetId());
    }

    /** The engine's lendings. */
    protected Context context() {
        return context;
    }
}
