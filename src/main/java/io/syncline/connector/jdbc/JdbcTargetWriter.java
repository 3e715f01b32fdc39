package io.syncline.connector.jdbc;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.audit.AuditEntry;
import io.syncline.audit.FieldDiff;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.mapping.FieldContract;
import io.syncline.mapping.RecordRejectedException;
import io.syncline.matching.IdMapRepository;
import io.syncline.model.CanonicalField;
import io.syncline.model.DeleteSpec;
import io.syncline.store.Writes;
import io.syncline.sync.ApplyBatch;
import io.syncline.sync.ApplyBatchStoppedException;
import io.syncline.sync.ApplyEvents;
import io.syncline.sync.SyncUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * its write first (an event alone at once, a batch's rows in the batch's transaction there, just
 * before the state store's); a crash before the state commits re-applies the same upsert, which
 * changes nothing more. Values are always bound as parameters, with their SQL types.
 */
@ApplicationScoped
@Named("JdbcTargetWriter")
@RegisterForReflection
public class JdbcTargetWriter {

    private static final int MAX_UPSERT_SHAPES = 1024;
    /**
     * Rows of a batch in one upsert statement, at most: a quarter of the statements of one a row,
     * while a stop waits for no more than four rows of a target that writes slowly.
     */
    static final int ROWS_PER_UPSERT = 4;

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

    /**
     * Writes the exchange's event, or each admitted event of its batch ({@link ApplyEvents}): a
     * batch's upserts are then sent together once all its events are decided ({@link BatchUpserts}).
     */
    public void write(Exchange exchange) throws SQLException {
        try {
            if (!ApplyEvents.batch(exchange)) {
                writeEvent(exchange, null);
                return;
            }
            BatchUpserts upserts = new BatchUpserts(ApplyBatch.of(exchange));
            ApplyEvents.forEachAdmitted(exchange, event -> writeEvent(event, upserts));
            upserts.send();
        } catch (SQLException e) {
            // a target that cannot be reached is asked no more until it answers again
            throw connections.unlessUnreachable(JdbcTargetConnection.target(exchange), e);
        }
    }

    private void writeEvent(Exchange exchange, BatchUpserts upserts) throws SQLException {
        SyncUnit unit = SyncUnit.of(exchange);
        CompiledModel model = registry.current();
        FieldContract contract = model.transformer().contract(unit.entity(), unit.target());
        Connection connection = JdbcTargetConnection.of(unit, model, connections);
        if (unit.record().deleted()) {
            delete(connection, model, contract, unit);
            return;
        }
        // quantities are added to the row in place (JdbcQuantities), not written as the sum the values hold
        Map<String, java.math.BigDecimal> increments = unit.quantityIncrements();
        Map<String, Object> values = withoutFields(unit.valuesForTarget(), increments.keySet());
        Map<String, Object> row = model.transformer().toSystem(unit.entity(), unit.target(), values);
        if (unit.targetId() != null) {
            row.put(contract.keyPath(), unit.targetId());
        }
        Object key = row.get(contract.keyPath());
        if (key == null) {
            throw new RecordRejectedException(unit.entity(), unit.target(),
                    List.of("no value for " + unit.target() + " key column " + contract.keyPath()));
        }
        Map<String, AuditEntry.FieldChange> diff = FieldDiff.between(unit.targetValues(),
                withoutFields(unit.values(), increments.keySet()));
        Map<String, AuditEntry.FieldChange> added = JdbcQuantities.add(exchange, connection, model, contract, unit, key);
        if (!added.isEmpty() && diff.isEmpty()) {
            link(unit, key);
            unit.written(key.toString(), AuditEntry.Action.UPDATED, added);
            return;
        }
        if (!added.isEmpty()) {
            diff = new LinkedHashMap<>(diff);
            diff.putAll(added);
        }
        if (unit.targetValues() != null && diff.isEmpty()) {
            // A row found by the match rules that holds the record's values is the record's row:
            // an attempt that wrote it and died before the state store's commit left it unlinked.
            link(unit, key);
            unit.written(key.toString(), AuditEntry.Action.UNCHANGED, diff);
            return;
        }
        if (contract.delete() != null && contract.delete().mode() == DeleteSpec.Mode.SOFT) {
            // A record deleted and then genuinely changed again is live again.
            row.put(contract.delete().column(), null);
        }
        Map<ChildTable, List<?>> lines = lines(unit, ChildTable.of(model, unit.entity(), unit.target()), row);
        if (lines.isEmpty()) {
            upsert(upserts, connection, model, contract, row);
        } else if (upserts != null && SqlDialect.of(connection).upsertsRowsTogether()) {
            // the lines follow their parent row, which the batch sends with the others: after them
            upsert(upserts, connection, model, contract, row);
            upserts.then(() -> writeLines(connection, lines, key));
        } else {
            ChildRows.together(connection, () -> {
                upsert(null, connection, model, contract, row);
                writeLines(connection, lines, key);
            });
        }
        link(unit, key);
        unit.written(key.toString(), unit.targetValues() == null ? AuditEntry.Action.CREATED : AuditEntry.Action.UPDATED, diff);
    }

    private static Map<String, Object> withoutFields(Map<String, Object> values, java.util.Set<String> fields) {
        if (fields.isEmpty()) {
            return values;
        }
        Map<String, Object> rest = new LinkedHashMap<>(values);
        rest.keySet().removeAll(fields);
        return rest;
    }

    /**
     * Takes out of the row the lines it carries for each child table (a document whose lines are
     * rows of a table of their own), checked: by a key, each line has one and no two the same. A
     * record that does not carry a list leaves that table's rows as they are.
     */
    private static Map<ChildTable, List<?>> lines(SyncUnit unit, List<ChildTable> tables, Map<String, Object> row) {
        if (tables.isEmpty()) {
            return Map.of();
        }
        Map<ChildTable, List<?>> lines = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (ChildTable table : tables) {
            if (!row.containsKey(table.path())) {
                continue;
            }
            Object value = row.remove(table.path());
            List<?> list = value instanceof List<?> each ? each : List.of();
            if (table.keyColumn() != null) {
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (int i = 0; i < list.size(); i++) {
                    Object key = list.get(i) instanceof Map<?, ?> line ? line.get(table.keyColumn()) : null;
                    if (key == null) {
                        problems.add(unit.entity() + "." + table.field() + "[" + i + "] has no value for " + table.table() + "."
                                + table.keyColumn() + ", which identifies its row");
                    } else if (!seen.add(ChildRows.keyText(key))) {
                        problems.add(unit.entity() + "." + table.field() + "[" + i + "] repeats " + table.table() + "."
                                + table.keyColumn() + " " + key + " of another line");
                    }
                }
            }
            lines.put(table, list);
        }
        if (!problems.isEmpty()) {
            throw new RecordRejectedException(unit.entity(), unit.target(), problems);
        }
        return lines;
    }

    private static void writeLines(Connection connection, Map<ChildTable, List<?>> lines, Object key) throws SQLException {
        SqlDialect dialect = SqlDialect.of(connection);
        for (Map.Entry<ChildTable, List<?>> table : lines.entrySet()) {
            ChildRows.write(connection, dialect, table.getKey(), key, table.getValue());
        }
    }

    /** Links the written row in the ID map, in the state store's transaction, unless it is linked already. */
    private void link(SyncUnit unit, Object key) throws SQLException {
        if (unit.linked()) {
            return;
        }
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

    private static void delete(Connection connection, CompiledModel model, FieldContract contract, SyncUnit unit) throws SQLException {
        DeleteSpec.Mode mode = contract.delete() == null ? null : contract.delete().mode();
        if (unit.targetId() != null && mode != null) {
            SqlDialect dialect = SqlDialect.of(connection);
            SqlStatement delete = mode == DeleteSpec.Mode.HARD
                    ? dialect.deleteByKey(contract.table(), contract.keyPath())
                    : dialect.softDelete(contract.table(), contract.keyPath(), contract.delete().column());
            // a row deleted takes its lines with it (their foreign key names it); one soft-deleted keeps them
            List<ChildTable> children = mode == DeleteSpec.Mode.HARD ? ChildTable.of(model, unit.entity(), unit.target()) : List.of();
            ChildRows.Work work = () -> {
                ChildRows.delete(connection, dialect, children, unit.targetId());
                try (PreparedStatement statement = connection.prepareStatement(delete.sql())) {
                    int index = 1;
                    if (mode == DeleteSpec.Mode.SOFT) {
                        statement.setObject(index++, dialect.timestamp(Instant.now()));
                    }
                    dialect.bindKey(statement, index, unit.targetId());
                    statement.executeUpdate();
                }
            };
            if (children.isEmpty()) {
                work.run();
            } else {
                ChildRows.together(connection, work);
            }
        }
        unit.note(unit.targetId() == null ? unit.target() + " has no such record"
                : mode == null ? unit.target() + " keeps its row (no delete mode in its mapping)"
                : mode.name().toLowerCase(java.util.Locale.ROOT) + " delete");
        unit.written(unit.targetId(), AuditEntry.Action.DELETED, null);
    }

    /**
     * Upserts the row: at once, or in a batch with the batch's other upserts ({@code upserts}),
     * where the dialect can send several rows in one statement.
     */
    private void upsert(BatchUpserts upserts, Connection connection, CompiledModel model, FieldContract contract,
            Map<String, Object> row) throws SQLException {
        SqlDialect dialect = SqlDialect.of(connection);
        UpsertPlan plan = plan(dialect, model, contract, row);
        Writes.Row values = parameters -> {
            List<String> columns = plan.statement().columns();
            for (int i = 0; i < columns.size(); i++) {
                CanonicalField.Type type = plan.types().get(i);
                Object value = row.get(columns.get(i));
                if (value != null && columns.get(i).equals(contract.keyPath())) {
                    // the ID map's text id of a bigint or uuid key column
                    dialect.bindKey(parameters, i + 1, dialect.bind(value, type));
                } else {
                    dialect.bindValue(parameters, i + 1, value, type);
                }
            }
        };
        if (upserts != null && dialect.upsertsRowsTogether()) {
            upserts.add(connection, plan.statement().sql(), values);
        } else {
            Writes.immediate(connection).write(plan.statement().sql(), values);
        }
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
     * A batch's upserts, sent once its every event is decided: the rows of one statement go
     * {@value #ROWS_PER_UPSERT} at most to a multi-row statement on their connection (the state
     * store's transaction, or the batch's on the target's database), so a batch writes its target
     * in a few statements instead of one a row. BatchMatchCheck has made sure that no two events
     * of the batch name one row. Between statements a stopping application ends the batch
     * ({@link ApplyBatchStoppedException}): a stop waits for one statement of a slow target, not
     * for a whole batch's rows.
     */
    private static final class BatchUpserts {

        private record Statement(Connection connection, String sql) {
        }

        private final ApplyBatch batch;
        private final Map<Statement, List<Writes.Row>> rows = new LinkedHashMap<>();
        /** What follows the rows: documents' lines, whose foreign keys name rows sent above. */
        private final List<ChildRows.Work> then = new ArrayList<>();

        BatchUpserts(ApplyBatch batch) {
            this.batch = batch;
        }

        void add(Connection connection, String sql, Writes.Row row) {
            rows.computeIfAbsent(new Statement(connection, sql), statement -> new ArrayList<>()).add(row);
        }

        void then(ChildRows.Work work) {
            then.add(work);
        }

        void send() throws SQLException {
            for (Map.Entry<Statement, List<Writes.Row>> statement : rows.entrySet()) {
                List<Writes.Row> all = statement.getValue();
                Writes writes = Writes.immediate(statement.getKey().connection());
                for (int from = 0; from < all.size(); from += ROWS_PER_UPSERT) {
                    if (batch != null && batch.stopping()) {
                        throw new ApplyBatchStoppedException();
                    }
                    writes.write(statement.getKey().sql(),
                            all.subList(from, Math.min(all.size(), from + ROWS_PER_UPSERT)).toArray(Writes.Row[]::new));
                }
            }
            for (ChildRows.Work work : then) {
                if (batch != null && batch.stopping()) {
                    throw new ApplyBatchStoppedException();
                }
                work.run();
            }
        }
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
}
