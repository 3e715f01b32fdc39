package io.syncline.target;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.FieldContract;
import io.syncline.matching.AmbiguousMatchException;
import io.syncline.matching.IdMapRepository;
import io.syncline.matching.MatchResult;
import io.syncline.sync.CompiledModel;
import io.syncline.model.CanonicalField;
import io.syncline.model.JdbcSystem;
import io.syncline.sync.SyncModelRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a canonical record to a JDBC system: maps it through the system's contract, finds the
 * row it is (ID map first, then the entity's match rules over candidate rows), upserts it by
 * the contract's key column, and links the row's id in the cross-system ID map.
 * The system's {@link SqlDialect} (PostgreSQL, H2, MariaDB/MySQL) gives the upsert and binds
 * canonical values with their SQL types (timestamps in UTC, …).
 */
@ApplicationScoped
@Named("jdbcTarget")
@RegisterForReflection
public class JdbcTargetWriter {

    private final SyncModelRegistry registry;
    private final IdMapRepository idMap;
    private final JdbcConnections connections;

    public JdbcTargetWriter(SyncModelRegistry registry, IdMapRepository idMap, JdbcConnections connections) {
        this.registry = registry;
        this.idMap = idMap;
        this.connections = connections;
    }

    /**
     * @throws AmbiguousMatchException several target rows fit, or the one that fits belongs to
     *                                 another canonical record: held for review, nothing written
     */
    public WriteResult upsert(String entity, String system, CanonicalRecord record) throws SQLException {
        CompiledModel model = registry.current();
        if (!(model.model().systems().get(system) instanceof JdbcSystem)) {
            throw new IllegalArgumentException("System '" + system + "' is not a JDBC system");
        }
        FieldContract contract = model.transformer().contract(entity, system);
        Map<String, Object> row = model.transformer().toSystem(entity, system, record.fields());
        MatchResult match;
        try (Connection connection = connections.dataSource(system).getConnection()) {
            JdbcCandidateFinder finder = new JdbcCandidateFinder(model.transformer());
            match = model.matcher(entity).match(record, system, () -> {
                try {
                    return finder.find(connection, record, system);
                } catch (SQLException e) {
                    throw new IllegalStateException("Searching " + system + " for " + entity + " failed: " + e.getMessage(), e);
                }
            });
            if (match.outcome() == MatchResult.Outcome.AMBIGUOUS) {
                throw new AmbiguousMatchException(record, system, match,
                        match.candidates().size() + " " + system + " records fit by " + match.rule());
            }
            if (match.outcome() == MatchResult.Outcome.MATCHED) {
                // Update the row that matched, under its own key.
                row.put(contract.keyPath(), claim(record, system, match));
            }
            if (row.get(contract.keyPath()) == null) {
                throw new IllegalArgumentException(entity + " has no value for " + system + " key column " + contract.keyPath());
            }
            write(connection, model, contract, entity, row);
        }
        String targetId = String.valueOf(row.get(contract.keyPath()));
        if (record.canonicalId() != null) {
            idMap.link(entity, record.canonicalId(), system, targetId);
        }
        boolean matched = match.outcome() == MatchResult.Outcome.MATCHED;
        return new WriteResult("applied", matched ? "updated" : "created", entity, record.sourceSystem(),
                record.sourceId(), record.canonicalId(), record.versionHash(), system, targetId,
                matched ? match.rule() : null, matched ? match.confidence() : null);
    }

    /** The matched row's id, unless the ID map already gives that row to another canonical record. */
    private String claim(CanonicalRecord record, String system, MatchResult match) {
        String targetId = match.match().systemId();
        String owner = idMap.canonicalId(record.entity(), system, targetId).orElse(null);
        if (owner != null && !owner.equals(record.canonicalId())) {
            throw new AmbiguousMatchException(record, system, match, system + " record " + targetId
                    + " matched by " + match.rule() + " already belongs to another " + record.entity());
        }
        return targetId;
    }

    private static void write(Connection connection, CompiledModel model, FieldContract contract, String entity,
                              Map<String, Object> row) throws SQLException {
        SqlDialect dialect = SqlDialect.of(connection);
        SqlStatement upsert = dialect.upsert(contract.table(), contract.keyPath(), row.keySet().stream().toList());
        var fields = model.transformer().entity(entity).fields();
        Map<String, CanonicalField.Type> columnTypes = new LinkedHashMap<>();
        contract.fields().forEach(field -> columnTypes.put(field.path(), fields.get(field.field()).type()));
        try (PreparedStatement statement = connection.prepareStatement(upsert.sql())) {
            int index = 1;
            for (String column : upsert.columns()) {
                statement.setObject(index++, dialect.bind(row.get(column), columnTypes.get(column)));
            }
            statement.executeUpdate();
        }
    }
}
