package io.syncline.write;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.audit.AuditEntry;
import io.syncline.audit.FieldDiff;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.FieldContract;
import io.syncline.mapping.RecordRejectedException;
import io.syncline.matching.AmbiguousMatchException;
import io.syncline.matching.IdMapRepository;
import io.syncline.matching.IdMapRule;
import io.syncline.matching.MatchCandidate;
import io.syncline.matching.MatchChoice;
import io.syncline.matching.MatchResult;
import io.syncline.model.CanonicalField;
import io.syncline.model.DeleteSpec;
import io.syncline.model.JdbcSystem;
import io.syncline.model.load.CompiledModel;
import io.syncline.model.load.SyncModelRegistry;
import io.syncline.sync.ApplyEvents;
import io.syncline.sync.BatchReadAhead;
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
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JDBC target stage of an apply route ({@code bean: {ref: JdbcTargetWriter, method: match}}, then
 * {@code method: write}), in two steps around the conflict processor:
 * <ol>
 * <li>{@code match} finds the row the record is (ID map first, then the entity's
 *     match rules over candidate rows) and reads its current values;</li>
 * <li>{@code write} upserts the resolved values by the contract's key column (or
 *     deletes, hard or soft as the target's mapping says) and links the row in the ID map.</li>
 * </ol>
 * A target on the state store's own datasource is written in the sync unit's transaction, so
 * the row, its record state and the idempotency key commit together. Another database commits
 * its write first; a crash before the state commits re-applies the same upsert, which changes
 * nothing more. Values are always bound as parameters, with their SQL types.
 */
@ApplicationScoped
@Named("JdbcTargetWriter")
@RegisterForReflection
public class JdbcTargetWriter {

    private static final String STATE_STORE = "default";
    private static final int MAX_UPSERT_SHAPES = 1024;

    private final SyncModelRegistry registry;
    private final IdMapRepository idMap;
    private final JdbcConnections connections;
    private final BatchReadAhead readAhead;
    /** Upsert statements by row shape, built once each (building one was 4 % of an update's CPU). */
    private final Map<UpsertShape, UpsertPlan> upserts = new ConcurrentHashMap<>();

    public JdbcTargetWriter(SyncModelRegistry registry, IdMapRepository idMap, JdbcConnections connections,
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
        Connection connection = connection(unit, model);
        JdbcCandidateFinder finder = new JdbcCandidateFinder(model.transformer());
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
            return new JdbcCandidateFinder(model.transformer()).byKey(connection, entity, system, id).map(MatchCandidate::fields);
        }
    }

    /** Writes the exchange's event, or each admitted event of its batch ({@link ApplyEvents}). */
    public void write(Exchange exchange) throws SQLException {
        ApplyEvents.forEachAdmitted(exchange, this::writeEvent);
    }

    private void writeEvent(Exchange exchange) throws SQLException {
        SyncUnit unit = SyncUnit.of(exchange);
        CompiledModel model = registry.current();
        FieldContract contract = model.transformer().contract(unit.entity(), unit.target());
        Connection connection = connection(unit, model);
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
        upsert(connection, model, contract, row);
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

    private void upsert(Connection connection, CompiledModel model, FieldContract contract, Map<String, Object> row)
            throws SQLException {
        SqlDialect dialect = SqlDialect.of(connection);
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
        try (PreparedStatement statement = connection.prepareStatement(plan.statement().sql())) {
            List<String> columns = plan.statement().columns();
            for (int i = 0; i < columns.size(); i++) {
                CanonicalField.Type type = plan.types().get(i);
                Object value = row.get(columns.get(i));
                if (value == null) {
                    statement.setNull(i + 1, sqlType(type));
                } else {
                    statement.setObject(i + 1, dialect.bind(value, type));
                }
            }
            statement.executeUpdate();
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

    /** The unit's own transaction on the state store's datasource; a connection of the target's otherwise. */
    private Connection connection(SyncUnit unit, CompiledModel model) throws SQLException {
        if (!(model.model().systems().get(unit.target()) instanceof JdbcSystem jdbc)) {
            throw new IllegalArgumentException("System '" + unit.target() + "' is not a JDBC system");
        }
        if (STATE_STORE.equals(jdbc.datasource())) {
            return unit.connection();
        }
        Optional<Connection> open = unit.resource(Connection.class);
        if (open.isPresent()) {
            return open.get();
        }
        unit.outsideTransaction("Writing " + unit.target() + " (datasource " + jdbc.datasource() + ")");
        return unit.attach(connections.dataSource(unit.target()).getConnection());
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
