package io.syncline.write;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.AmbiguousMatchException;
import io.syncline.matching.IdMapRepository;
import io.syncline.matching.IdMapRule;
import io.syncline.matching.MatchCandidate;
import io.syncline.matching.MatchChoice;
import io.syncline.matching.MatchResult;
import io.syncline.model.load.CompiledModel;
import io.syncline.model.load.SyncModelRegistry;
import io.syncline.sync.ApplyEvents;
import io.syncline.sync.BatchReadAhead;
import io.syncline.sync.SyncUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JDBC target's match stage of an apply route ({@code bean: {ref: JdbcTargetMatcher, method: match}}),
 * before the conflict processor: finds the row the record is (ID map first, then the entity's
 * match rules over candidate rows) and reads its current values; {@link JdbcTargetWriter} then
 * writes what the conflict processor resolved. A person's answer to an ambiguous match is
 * checked here against the ID map and the row as they are now.
 *
 * <p>It reads on the connection the write will use ({@link JdbcTargetConnection}): on the state
 * store's own datasource, the sync unit's transaction. In a batch ({@link ApplyEvents}) the rows
 * and the match candidates of all its events are read at the first one's asking
 * ({@link BatchReadAhead}), and two events that find one row are applied each on its own
 * ({@link BatchMatchCheck}).
 *
 * <p>{@link #read(String, String, String)} reads a record's row the same way, outside any route,
 * for the record status API.
 */
@ApplicationScoped
@Named("JdbcTargetMatcher")
@RegisterForReflection
public class JdbcTargetMatcher {

    private final SyncModelRegistry registry;
    private final IdMapRepository idMap;
    private final JdbcConnections connections;
    private final BatchReadAhead readAhead;

    public JdbcTargetMatcher(SyncModelRegistry registry, IdMapRepository idMap, JdbcConnections connections,
                             BatchReadAhead readAhead) {
        this.readAhead = readAhead;
        this.registry = registry;
        this.idMap = idMap;
        this.connections = connections;
    }

    /**
     * Matches the exchange's event, or each admitted event of its batch ({@link ApplyEvents}).
     *
     * @throws AmbiguousMatchException       several target rows fit, or the one that fits belongs to
     *                                       another canonical record: held for review, nothing written
     * @throws io.syncline.sync.ApplyBatchDependentException two events of a batch find one row
     *                                       ({@link BatchMatchCheck}): each is applied on its own
     */
    public void match(Exchange exchange) throws SQLException {
        if (!ApplyEvents.batch(exchange)) {
            matchEvent(exchange, List.of());
            return;
        }
        List<CanonicalRecord> batchNew = newRecords(exchange);
        BatchMatchCheck independent = new BatchMatchCheck();
        ApplyEvents.forEachAdmitted(exchange, event -> {
            matchEvent(event, batchNew);
            SyncUnit unit = SyncUnit.of(event);
            independent.check(unit, registry.current().matcher(unit.entity()));
        });
    }

    /**
     * The batch's records new to the ID map, whose match rules are certain to search the target
     * (no target links them yet): searched for together ({@link BatchReadAhead#matchCandidates}),
     * one query where each sent its own.
     */
    private static List<CanonicalRecord> newRecords(Exchange exchange) {
        List<CanonicalRecord> records = new ArrayList<>();
        for (Exchange event : ApplyEvents.admitted(exchange)) {
            SyncUnit unit = SyncUnit.of(event);
            if (unit.newInBatch() && !unit.record().deleted() && event.getProperty(MatchChoice.PROPERTY) == null) {
                records.add(unit.record());
            }
        }
        return records;
    }

    /** Each record's candidates in the target, by canonical id, from one search for them all. */
    private static Map<String, List<MatchCandidate>> searchAll(JdbcCandidateFinder finder, Connection connection,
                                                               List<CanonicalRecord> records, String target) throws SQLException {
        List<List<MatchCandidate>> found = finder.findAll(connection, records, target);
        Map<String, List<MatchCandidate>> byCanonicalId = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            byCanonicalId.put(records.get(i).canonicalId(), found.get(i));
        }
        return byCanonicalId;
    }

    /** Matches one event; {@code batchNew}: its batch's records new to the ID map (none alone). */
    private void matchEvent(Exchange exchange, List<CanonicalRecord> batchNew) throws SQLException {
        SyncUnit unit = SyncUnit.of(exchange);
        CompiledModel model = registry.current();
        CanonicalRecord record = unit.record();
        Connection connection = JdbcTargetConnection.of(unit, model, connections);
        JdbcCandidateFinder finder = new JdbcCandidateFinder(model);
        if (record.deleted()) {
            String id = idMap.systemId(record.entity(), record.canonicalId(), unit.target()).orElse(null);
            unit.matched(id, id == null ? null : current(finder, connection, unit, id), null);
            return;
        }
        MatchChoice choice = exchange.getProperty(MatchChoice.PROPERTY, MatchChoice.class);
        if (choice != null && choice.targetSystem().equals(unit.target())) {
            chosen(choice, finder, connection, unit);
            return;
        }
        MatchResult match = model.matcher(record.entity()).match(record, unit.target(), () -> {
            try {
                List<MatchCandidate> searched = readAhead.matchCandidates(unit,
                        () -> searchAll(finder, connection, batchNew, unit.target()));
                return searched != null ? searched : finder.find(connection, record, unit.target());
            } catch (SQLException e) {
                throw new IllegalStateException("Searching " + unit.target() + " for " + record.entity() + " failed: "
                        + e.getMessage(), e);
            }
        });
        if (match.outcome() == MatchResult.Outcome.AMBIGUOUS) {
            throw new AmbiguousMatchException(record, unit.target(), whole(finder, connection, unit, match),
                    match.candidates().size() + " " + unit.target() + " records fit by " + match.rule());
        }
        if (match.outcome() == MatchResult.Outcome.MATCHED) {
            // The ID map's own answer belongs to this record and is linked; any other match is checked.
            boolean byIdMap = IdMapRule.NAME.equals(match.rule());
            String id = byIdMap ? match.match().systemId() : claim(finder, connection, unit, match);
            unit.matched(id, current(finder, connection, unit, id), match.rule() + " (" + match.confidence() + ")");
            if (byIdMap) {
                unit.linkedAlready();
            }
        } else {
            unit.matched(null, null, null);
        }
    }

    /**
     * The record's current values in a JDBC system, read back through its contract in canonical
     * form (the record status API); empty when the system has no row with that id.
     */
    public Optional<Map<String, Object>> read(String entity, String system, String id) throws SQLException {
        CompiledModel model = registry.current();
        try (Connection connection = connections.dataSource(system).getConnection()) {
            return new JdbcCandidateFinder(model).byKey(connection, entity, system, id).map(MatchCandidate::fields);
        }
    }

    /**
     * A person's answer to an ambiguous match: the row they chose (or none: a new row), unless
     * the ID map or the row changed since; the write links it in the ID map.
     */
    private void chosen(MatchChoice choice, JdbcCandidateFinder finder, Connection connection, SyncUnit unit)
            throws SQLException {
        CanonicalRecord record = unit.record();
        String linked = idMap.systemId(record.entity(), record.canonicalId(), unit.target()).orElse(null);
        if (linked != null && !linked.equals(choice.systemId())) {
            throw changedSince(record, unit.target(), "the ID map links it to " + unit.target() + " record " + linked + " now");
        }
        String by = "review item " + choice.itemId();
        if (choice.createNew()) {
            unit.matched(null, null, by + " (a new record)");
            return;
        }
        String owner = idMap.canonicalId(record.entity(), unit.target(), choice.systemId()).orElse(null);
        if (owner != null && !owner.equals(record.canonicalId())) {
            throw changedSince(record, unit.target(), unit.target() + " record " + choice.systemId()
                    + " belongs to another " + record.entity() + " now");
        }
        Map<String, Object> current = current(finder, connection, unit, choice.systemId());
        if (current == null) {
            throw changedSince(record, unit.target(), unit.target() + " record " + choice.systemId() + " is gone");
        }
        unit.matched(choice.systemId(), current, by);
        if (linked != null) {
            unit.linkedAlready();
        }
    }

    private static AmbiguousMatchException changedSince(CanonicalRecord record, String target, String reason) {
        return new AmbiguousMatchException(record, target, MatchResult.none(), "the chosen match no longer holds: " + reason);
    }

    /** The matched row's id, unless the ID map already gives that row to another canonical record. */
    private String claim(JdbcCandidateFinder finder, Connection connection, SyncUnit unit, MatchResult match)
            throws SQLException {
        CanonicalRecord record = unit.record();
        String targetId = match.match().systemId();
        String owner = idMap.canonicalId(record.entity(), unit.target(), targetId).orElse(null);
        if (owner != null && !owner.equals(record.canonicalId())) {
            throw new AmbiguousMatchException(record, unit.target(), whole(finder, connection, unit, match), unit.target()
                    + " record " + targetId + " matched by " + match.rule() + " already belongs to another " + record.entity());
        }
        return targetId;
    }

    /**
     * The match with its candidates read whole, for the review queue: the search read only the
     * fields its rules compare. A row gone meanwhile keeps those.
     */
    private static MatchResult whole(JdbcCandidateFinder finder, Connection connection, SyncUnit unit, MatchResult match)
            throws SQLException {
        List<String> ids = match.candidates().stream().map(MatchCandidate::systemId).toList();
        Map<String, MatchCandidate> rows = finder.byKeys(connection, unit.entity(), unit.target(), ids);
        return new MatchResult(match.outcome(), match.rule(), match.confidence(), match.candidates().stream()
                .map(candidate -> rows.getOrDefault(candidate.systemId(), candidate)).toList());
    }

    /**
     * The target row's values in canonical form; null when the row is gone. In a batch, the rows
     * of all its records the ID map links to the target are read at the first one's asking.
     */
    private Map<String, Object> current(JdbcCandidateFinder finder, Connection connection, SyncUnit unit, String id)
            throws SQLException {
        MatchCandidate ahead = readAhead.targetRow(unit, id, ids -> finder.byKeys(connection, unit.entity(), unit.target(), ids));
        if (ahead != null) {
            return ahead.fields();
        }
        return finder.byKey(connection, unit.entity(), unit.target(), id).map(MatchCandidate::fields).orElse(null);
    }
}
