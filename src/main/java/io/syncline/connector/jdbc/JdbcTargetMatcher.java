package io.syncline.connector.jdbc;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.spi.BatchMatchCheck;
import io.syncline.connector.spi.TargetMatching;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.MatchCandidate;
import io.syncline.sync.ApplyEvents;
import io.syncline.sync.BatchReadAhead;
import io.syncline.sync.SyncUnit;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.Exchange;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JDBC target's match stage of an apply route, before the conflict processor: finds the row
 * the record is ({@link TargetMatching}: the ID map first, then the entity's match rules over
 * candidate rows this searches for) and reads its current values; {@link JdbcTargetWriter} then
 * writes what the conflict processor resolved.
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
@RegisterForReflection
public class JdbcTargetMatcher {

    private final SyncModelRegistry registry;
    private final JdbcConnections connections;
    private final BatchReadAhead readAhead;
    private final TargetMatching matching;

    public JdbcTargetMatcher(SyncModelRegistry registry, JdbcConnections connections, BatchReadAhead readAhead,
            TargetMatching matching) {
        this.readAhead = readAhead;
        this.registry = registry;
        this.connections = connections;
        this.matching = matching;
    }

    /**
     * Matches the exchange's event, or each admitted event of its batch ({@link ApplyEvents}).
     *
     * @throws io.syncline.matching.AmbiguousMatchException several target rows fit, or the one that fits belongs to
     *                                       another canonical record: held for review, nothing written
     * @throws io.syncline.sync.ApplyBatchDependentException two events of a batch find one row
     *                                       ({@link BatchMatchCheck}): each is applied on its own
     */
    public void match(Exchange exchange) throws Exception {
        try {
            if (!ApplyEvents.batch(exchange)) {
                matchEvent(exchange, List.of());
                return;
            }
            List<CanonicalRecord> batchNew = BatchReadAhead.newRecords(exchange);
            BatchMatchCheck independent = new BatchMatchCheck();
            ApplyEvents.forEachAdmitted(exchange, event -> {
                matchEvent(event, batchNew);
                SyncUnit unit = SyncUnit.of(event);
                independent.check(unit, registry.current().matcher(unit.entity()));
            });
        } catch (SQLException e) {
            // a target that cannot be reached is asked no more until it answers again
            throw connections.unlessUnreachable(JdbcTargetConnection.target(exchange), e);
        }
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
    private void matchEvent(Exchange exchange, List<CanonicalRecord> batchNew) throws Exception {
        SyncUnit unit = SyncUnit.of(exchange);
        CompiledModel model = registry.current();
        Connection connection = JdbcTargetConnection.of(unit, model, connections);
        JdbcCandidateFinder finder = new JdbcCandidateFinder(model);
        matching.match(exchange, model.matcher(unit.entity()), new TargetMatching.Lookup() {

            @Override
            public List<MatchCandidate> search(SyncUnit unit) throws SQLException {
                List<MatchCandidate> searched = readAhead.matchCandidates(unit,
                        () -> searchAll(finder, connection, batchNew, unit.target()));
                return searched != null ? searched : finder.find(connection, unit.record(), unit.target());
            }

            @Override
            public boolean readsBack() {
                return true;
            }

            @Override
            public Map<String, Object> current(SyncUnit unit, String id) throws SQLException {
                return JdbcTargetMatcher.this.current(finder, connection, unit, id);
            }

            @Override
            public Map<String, MatchCandidate> whole(SyncUnit unit, List<String> ids) throws SQLException {
                return finder.byKeys(connection, unit.entity(), unit.target(), ids);
            }
        });
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
