package io.syncline.sync;

import io.syncline.exchange.ExchangeContract;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.IdMapRepository;
import io.syncline.state.RecordState;
import io.syncline.state.RecordStateRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.Exchange;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the events of an {@link ApplyBatch} would each ask the state store for, one query per
 * event and stage, asked once for the whole batch: their records' canonical ids (the ID map),
 * their record states (locked, as {@code SyncGuard.admit} locks them one record at a time) and,
 * for a JDBC target on the state store, their target rows. A batch of eight updates so reads its
 * record states and rows in two round trips instead of sixteen.
 *
 * <p>Only the first unit of each record in a batch takes what was read ahead (see
 * {@link ApplyBatch#beginUnit}); a record the read-ahead did not cover is read by its unit's own
 * query, as outside a batch. A record new to the ID map, whose canonical id its own event made
 * in the batch's transaction ({@link RecordIdentifier}), has nothing to read: no record state can
 * be stored under an id no other transaction can see yet.
 */
@ApplicationScoped
public class BatchReadAhead {

    /** How a unit found its record states, counted per batch ({@link ApplyBatch#reads()}). */
    public static final String RECORD_STATES = "record-states";
    /** How a unit found its target row. */
    public static final String TARGET_ROW = "target-row";
    /** How a unit found its match candidates (a JDBC target's search, for the batch's new records at once). */
    public static final String MATCH_CANDIDATES = "match-candidates";

    private record CanonicalIdsKey(String entity) {
    }

    private record SourceLinksKey(String entity, String system) {
    }

    private record StatesKey(String entity) {
    }

    private record RowsKey(String entity, String system) {
    }

    private record CandidatesKey(String entity, String system) {
    }

    /** Reads several rows of a system by their ids, in one query: by id, those found. */
    @FunctionalInterface
    public interface RowsLoader<R> {

        Map<String, R> load(List<String> ids) throws SQLException;
    }

    @Inject
    IdMapRepository idMap;
    @Inject
    RecordStateRepository states;

    /**
     * The record's states, for its first unit in a batch, from one locking read of every state of
     * the batch's records of its entity; null when the unit must lock and read its own.
     */
    Map<String, RecordState> states(SyncUnit unit) throws SQLException {
        ApplyBatch batch = servedBatch(unit, RECORD_STATES);
        if (batch == null) {
            return null;
        }
        String entity = unit.entity();
        if (batch.madeIdentity(unit.record().canonicalId())) {
            // Its canonical id is the batch's own, not yet committed: no state can be stored under it.
            batch.countRead(RECORD_STATES, true);
            return Map.of();
        }
        Map<String, Map<String, RecordState>> locked = batch.readAhead(new StatesKey(entity),
                () -> states.lockAll(unit.connection(), entity, canonicalIds(batch, entity)));
        Map<String, RecordState> found = locked.get(unit.record().canonicalId());
        batch.countRead(RECORD_STATES, found != null);
        return found;
    }

    /**
     * The record's row in the unit's target, for its first unit in a batch, from one read of the
     * rows of the batch's records the ID map links to that target; null when the unit must read
     * its own (also when the row was not among those read: a row gone, or an id the ID map does
     * not hold yet).
     */
    public <R> R targetRow(SyncUnit unit, String id, RowsLoader<R> loader) throws SQLException {
        ApplyBatch batch = servedBatch(unit, TARGET_ROW);
        if (batch == null) {
            return null;
        }
        String entity = unit.entity();
        String target = unit.target();
        Map<String, R> rows = batch.readAhead(new RowsKey(entity, target), () -> {
            List<String> ids = new ArrayList<>(idMap.systemIds(entity, canonicalIds(batch, entity), target).values());
            return ids.isEmpty() ? Map.of() : loader.load(ids);
        });
        R row = rows.get(id);
        batch.countRead(TARGET_ROW, row != null);
        return row;
    }

    /**
     * The batch's records new to the ID map, whose match rules are certain to search the target
     * (no target links them yet; no person chose their match): what {@link #matchCandidates}'
     * loader looks up together, one search where each would send its own.
     */
    public static List<CanonicalRecord> newRecords(Exchange batch) {
        List<CanonicalRecord> records = new ArrayList<>();
        for (Exchange event : ApplyEvents.admitted(batch)) {
            SyncUnit unit = SyncUnit.of(event);
            if (unit.newInBatch() && !unit.record().deleted() && event.getProperty(ExchangeContract.MATCH_CHOICE) == null) {
                records.add(unit.record());
            }
        }
        return records;
    }

    /**
     * The record's match candidates in the unit's target, for its first unit in a batch, from one
     * search for all the batch's records new to the ID map ({@code loader}: their candidates by
     * canonical id), made at the first one's asking; null when the unit must search on its own (a
     * record the ID map knew, or not its record's first unit in the batch).
     */
    public <C> C matchCandidates(SyncUnit unit, ApplyBatch.ReadAheadLoader<Map<String, C>> loader) throws SQLException {
        ApplyBatch batch = servedBatch(unit, MATCH_CANDIDATES);
        if (batch == null) {
            return null;
        }
        C candidates = batch.readAhead(new CandidatesKey(unit.entity(), unit.target()), loader).get(unit.record().canonicalId());
        batch.countRead(MATCH_CANDIDATES, candidates != null);
        return candidates;
    }

    /** The unit's batch if the unit may take what it read ahead; a later unit of its record is counted as reading its own. */
    private static ApplyBatch servedBatch(SyncUnit unit, String what) {
        ApplyBatch batch = unit.batch();
        if (batch != null && !unit.firstOfRecord()) {
            batch.countRead(what, false);
            return null;
        }
        return batch;
    }

    /**
     * The canonical ids the ID map has for the batch's records of one entity and source system, by
     * their ids there: read once for the batch, records new to the ID map left out.
     */
    Map<String, String> sourceLinks(ApplyBatch batch, String entity, String system) throws SQLException {
        return batch.readAhead(new SourceLinksKey(entity, system), () -> {
            Set<String> ids = new LinkedHashSet<>();
            for (ApplyBatch.Source source : batch.sources()) {
                if (source.entity().equals(entity) && source.system().equals(system) && source.id() != null) {
                    ids.add(source.id());
                }
            }
            return ids.isEmpty() ? Map.of() : idMap.canonicalIds(entity, system, ids);
        });
    }

    /** The canonical ids of the batch's records of an entity that the ID map knows, in one lookup per source system. */
    private Set<String> canonicalIds(ApplyBatch batch, String entity) throws SQLException {
        return batch.readAhead(new CanonicalIdsKey(entity), () -> {
            Set<String> systems = new java.util.TreeSet<>();
            for (ApplyBatch.Source source : batch.sources()) {
                if (source.entity().equals(entity)) {
                    systems.add(source.system());
                }
            }
            Set<String> canonicalIds = new java.util.TreeSet<>();
            for (String system : systems) {
                canonicalIds.addAll(sourceLinks(batch, entity, system).values());
            }
            return canonicalIds;
        });
    }
}
