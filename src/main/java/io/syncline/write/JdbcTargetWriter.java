package io.syncline.write;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.audit.AuditEntry;
import io.syncline.audit.FieldDiff;
import io.syncline.mapping.FieldContract;
import io.syncline.mapping.RecordRejectedException;
import io.syncline.matching.IdMapRepository;
import io.syncline.model.CanonicalField;
import io.syncline.model.DeleteSpec;
import io.syncline.model.load.CompiledModel;
import io.syncline.model.load.SyncModelRegistry;
import io.syncline.store.Writes;
import io.syncline.sync.ApplyEvents;
import io.syncline.sync.SyncUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JDBC target's write stage of an apply route ({@code bean: {ref: JdbcTargetWriter, method: write}}),
 * after {@link JdbcTargetMatcher} found the row and the conflict processor resolved the values:
 * upserts the resolved values by the contract's key column (or deletes, hard or soft as the
 * target's mapping says) and links the row in the ID map.
 *
 * <p>A target on the state store's own datasource is written in the sync unit's transaction, so
 * the row, its record state and the idempotency key commit together. Another database commits
 * its write first; a crash before the state commits re-applies the same upsert, which changes
 * nothing more. Values are always bound as parameters, with their SQL types.
 */
@ApplicationScoped
@Named("JdbcTargetWriter")
@RegisterForReflection
public class JdbcTargetWriter {

    private static final int MAX_UPSERT_SHAPES = 1024;

    private final SyncModelRegistry registry;
    private final IdMapRepository idMap;
    private final JdbcConnections connections;
    /** Upsert statements by row shape, built once each (building one was 4 % of an update's CPU). */
    private final Map<UpsertShape, UpsertPlan> upserts = new ConcurrentHashMap<>();

    public JdbcTargetWriter(SyncModelRegistry registry, IdMapRepository idMap, JdbcConnections connections) {
        this.registry = registry;
        this.idMap = idMap;
        this.connections = connections;
    }

    /** Writes the exchange's event, or each admitted event of its batch ({@link ApplyEvents}). */
    public void write(Exchange exchange) throws SQLException {
        ApplyEvents.forEachAdmitted(exchange, this::writeEvent);
    }

    private void writeEvent(Exchange exchange) throws SQLException {
        SyncUnit unit = SyncUnit.of(exchange);
        CompiledModel model = registry.current();
        FieldContract contract = model.transformer().contract(unit.entity(), unit.target());
        Connection connection = JdbcTargetConnection.of(unit, model, connections);
        if (unit.record().deleted()) {
            delete(connection, contract, unit);
            return;
        }
        Map<String, Object> row = model.transformer().toSystem(unit.entity(), unit.target(), unit.values());
        if (unit.targetId() != null) {
            row.put(contract.keyPath(), unit.targetId());
        }
        Object key = row.get(contract.keyPath());
        if (key == null) {
            throw new RecordRejectedException(unit.entity(), unit.target(),
                    List.of("no value for " + unit.target() + " key column " + contract.keyPath()));
        }
        Map<String, AuditEntry.FieldChange> diff = FieldDiff.between(unit.targetValues(), unit.values());
        if (unit.targetValues() != null && diff.isEmpty()) {
            unit.written(key.toString(), AuditEntry.Action.UNCHANGED, diff);
            return;
        }
        if (contract.delete() != null && contract.delete().mode() == DeleteSpec.Mode.SOFT) {
            // A record deleted and then genuinely changed again is live again.
            row.put(contract.delete().column(), null);
        }
        upsert(unit, connection, model, contract, row);
        if (!unit.linked()) {
            String canonicalId = unit.record().canonicalId();
            if (unit.batched()) {
                // With the batch's other writes, one round trip for all: a link that inserts nothing
                // fails the batch, and its event applied alone links it below, where an existing
                // equal link is fine and a contradicting one an IdMapConflictException.
                idMap.linkNew(unit.writes(), unit.entity(), canonicalId, unit.target(), key.toString());
            } else {
                idMap.link(unit.connection(), unit.entity(), canonicalId, unit.target(), key.toString());
            }
        }
        unit.written(key.toString(), unit.targetValues() == null ? AuditEntry.Action.CREATED : AuditEntry.Action.UPDATED, diff);
    }

    private static void delete(Connection connection, FieldContract contract, SyncUnit unit) throws SQLException {
        DeleteSpec.Mode mode = contract.delete() == null ? null : contract.delete().mode();
        if (unit.targetId() != null && mode != null) {
            SqlDialect dialect = SqlDialect.of(connection);
            SqlStatement delete = mode == DeleteSpec.Mode.HARD
                    ? dialect.deleteByKey(contract.table(), contract.keyPath())
                    : dialect.softDelete(contract.table(), contract.keyPath(), contract.delete().column());
            try (PreparedStatement statement = connection.prepareStatement(delete.sql())) {
                int index = 1;
                if (mode == DeleteSpec.Mode.SOFT) {
                    statement.setObject(index++, dialect.timestamp(Instant.now()));
                }
                statement.setString(index, unit.targetId());
                statement.executeUpdate();
            }
        }
        unit.note(unit.targetId() == null ? unit.target() + " has no such record"
                : mode == null ? unit.target() + " keeps its row (no delete mode in its mapping)"
                : mode.name().toLowerCase(java.util.Locale.ROOT) + " delete");
        unit.written(unit.targetId(), AuditEntry.Action.DELETED, null);
    }

    /**
     * Upserts the row. In a batch on the state store's own PostgreSQL datasource, the row goes with the
     * batch's writes: the upserts of all its events are sent as multi-row statements before the
     * batch commits (BatchMatchCheck has made sure no two of them name one row, and nothing in
     * the batch reads a written row back). Alone, or on another database, it is sent at once.
     */
    private void upsert(SyncUnit unit, Connection connection, CompiledModel model, FieldContract contract,
                        Map<String, Object> row) throws SQLException {
        SqlDialect dialect = SqlDialect.of(connection);
        UpsertPlan plan = plan(dialect, model, contract, row);
        Writes.Row values = parameters -> {
            List<String> columns = plan.statement().columns();
            for (int i = 0; i < columns.size(); i++) {
                CanonicalField.Type type = plan.types().get(i);
                Object value = row.get(columns.get(i));
                if (value == null) {
                    parameters.setNull(i + 1, sqlType(type));
                } else {
                    parameters.setObject(i + 1, dialect.bind(value, type));
                }
            }
        };
        boolean together = unit.batched() && connection == unit.connection() && dialect.upsertsRowsTogether();
        Writes writes = together ? unit.writes() : Writes.immediate(connection);
        writes.write(plan.statement().sql(), values);
    }

    private UpsertPlan plan(SqlDialect dialect, CompiledModel model, FieldContract contract, Map<String, Object> row) {
        UpsertShape shape = new UpsertShape(dialect, contract, List.copyOf(row.keySet()));
        UpsertPlan plan = upserts.get(shape);
        if (plan == null) {
            if (upserts.size() >= MAX_UPSERT_SHAPES) {
                // only a model reloaded again and again (dev mode) gets here: start afresh
                upserts.clear();
            }
            plan = UpsertPlan.of(model, contract, dialect.upsert(contract.table(), contract.keyPath(), shape.columns()));
            upserts.put(shape, plan);
        }
        return plan;
    }

    /**
     * A row's shape for an upsert: the target's contract and the row's columns, on a dialect.
     * The contract counts by identity: a model reloaded compiles new contracts, and comparing
     * contracts by value would cost more than building the statement.
     */
    private record UpsertShape(SqlDialect dialect, FieldContract contract, List<String> columns) {

        @Override
        public boolean equals(Object other) {
            return other instanceof UpsertShape shape && shape.dialect == dialect && shape.contract == contract
                    && shape.columns.equals(columns);
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(contract) + columns.hashCode();
        }
    }

    /** The upsert statement of a row shape and the canonical type of each of its parameters (null: untyped). */
    private record UpsertPlan(SqlStatement statement, List<CanonicalField.Type> types) {

        static UpsertPlan of(CompiledModel model, FieldContract contract, SqlStatement statement) {
            var fields = model.transformer().entity(contract.entity()).fields();
            Map<String, CanonicalField.Type> columnTypes = new HashMap<>();
            contract.fields().forEach(field -> columnTypes.put(field.path(), fields.get(field.field()).type()));
            if (contract.delete() != null && contract.delete().column() != null) {
                columnTypes.put(contract.delete().column(), CanonicalField.Type.TIMESTAMP);
            }
            List<CanonicalField.Type> types = new ArrayList<>();
            statement.columns().forEach(column -> types.add(columnTypes.get(column)));
            return new UpsertPlan(statement, java.util.Collections.unmodifiableList(types));
        }
    }

    private static int sqlType(CanonicalField.Type type) {
        if (type == null) {
            return Types.VARCHAR;
        }
        return switch (type) {
            case TIMESTAMP -> Types.TIMESTAMP_WITH_TIMEZONE;
            case DATE -> Types.DATE;
            case INTEGER -> Types.BIGINT;
            case DECIMAL -> Types.NUMERIC;
            case BOOLEAN -> Types.BOOLEAN;
            case STRING -> Types.VARCHAR;
        };
    }
}
