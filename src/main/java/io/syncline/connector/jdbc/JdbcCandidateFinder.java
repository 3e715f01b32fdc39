package io.syncline.connector.jdbc;

import io.syncline.compiled.CompiledModel;
import io.syncline.mapping.CanonicalInstants;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.CompiledField;
import io.syncline.mapping.FieldContract;
import io.syncline.mapping.RecordRejectedException;
import io.syncline.mapping.RecordTransformer;
import io.syncline.mapping.transform.TransformContext;
import io.syncline.mapping.transform.TransformException;
import io.syncline.matching.MatchCandidate;
import io.syncline.matching.MatchRule;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the rows of a JDBC target that might be the record, with each match rule's own cheap
 * queries (blocking, as record linkage does: {@link MatchRule#searchConditions}), and reads them
 * back into canonical records for the matcher: equal e-mail, same last phone digits, the
 * neighbourhood of the company name, equal external id. The rules own their WHERE clauses; this
 * finds the column of each rule's field, runs every query of a search as one statement and reads
 * the rows. The matcher then decides with the exact rules.
 */
final class JdbcCandidateFinder {

    private final CompiledModel model;
    private final RecordTransformer transformer;

    JdbcCandidateFinder(CompiledModel model) {
        this.model = model;
        this.transformer = model.transformer();
    }

    /**
     * The candidate rows of every rule that has a value to block on, in one round trip: one
     * {@code SELECT … LIMIT 25} per rule (two for a fuzzy name), joined by {@code UNION ALL}.
     *
     * <p>Each rule judges the rows its own blocking query found, so a candidate carries only the
     * fields of the rules whose queries found it: the rows are read narrow (their key and the
     * compared columns), each compared column through its field's transforms alone. A new record
     * mostly meets the 25 rows of its company name's neighbourhood and nothing else; reading them
     * whole through the contract, with every rule comparing every row, would cost about 7 % of a
     * new contact's JVM time. The matched row is read whole
     * afterwards ({@link #byKeys}), as are an ambiguous match's candidates for the review queue.
     */
    List<MatchCandidate> find(Connection connection, CanonicalRecord record, String system) throws SQLException {
        return findAll(connection, List.of(record), system).get(0);
    }

    /**
     * The candidates of several records of one entity, each record's as {@link #find} gives them,
     * in one round trip for them all: each record's blocking queries, tagged with the record's
     * place, in one {@code UNION ALL}. This is the search of set-based apply
     * (docs/adr/0004-set-based-apply.md): a batch's new records searched together
     * ({@code BatchReadAhead.matchCandidates}); {@code SetBasedMatchBenchmark} measures it against a
     * query per record.
     */
    List<List<MatchCandidate>> findAll(Connection connection, List<CanonicalRecord> records, String system)
            throws SQLException {
        if (records.isEmpty()) {
            return List.of();
        }
        String entityName = records.get(0).entity();
        FieldContract contract = transformer.contract(entityName, system);
        List<MatchRule> rules = model.matcher(entityName).rules();
        SqlDialect dialect = SqlDialect.of(connection);
        Map<MatchRule, String> searched = new LinkedHashMap<>();
        for (MatchRule rule : rules) {
            CompiledField field = searchedField(contract, rule);
            String expression = field == null ? null : rule.searchedExpression(field.path());
            if (expression != null) {
                searched.put(rule, dialect.searched(connection, contract.table(), expression));
            }
        }
        List<Block> blocks = new ArrayList<>();
        for (int r = 0; r < records.size(); r++) {
            CanonicalRecord record = records.get(r);
            if (!record.entity().equals(entityName)) {
                throw new IllegalArgumentException("One search holds records of one entity: " + record.entity()
                        + " among " + entityName);
            }
            for (MatchRule rule : rules) {
                CompiledField field = searchedField(contract, rule);
                Object value = field == null ? null : record.fields().get(field.field());
                String key = value == null || value.toString().isBlank() ? null : rule.searchKey(value);
                if (key != null && searched.containsKey(rule)) {
                    for (String condition : rule.searchConditions(searched.get(rule))) {
                        blocks.add(new Block(r, field, condition, key));
                    }
                }
            }
        }
        if (blocks.stream().anyMatch(block -> block.field().computed())) {
            // a computed field's value comes from the others: only a whole row gives it
            List<List<MatchCandidate>> found = new ArrayList<>(records.size());
            for (int r = 0; r < records.size(); r++) {
                int record = r;
                List<Block> own = blocks.stream().filter(block -> block.record() == record).toList();
                found.add(own.isEmpty() ? List.of() : wholeRows(connection, entityName, system, contract, own));
            }
            return found;
        }
        List<Map<String, Map<String, Object>>> fieldsByIdOfRecord = new ArrayList<>(records.size());
        records.forEach(unused -> fieldsByIdOfRecord.add(new LinkedHashMap<>()));
        if (!blocks.isEmpty()) {
            search(connection, entityName, system, contract, blocks, fieldsByIdOfRecord);
        }
        List<List<MatchCandidate>> found = new ArrayList<>(records.size());
        for (Map<String, Map<String, Object>> fieldsById : fieldsByIdOfRecord) {
            List<MatchCandidate> candidates = new ArrayList<>(fieldsById.size());
            fieldsById.forEach((id, fields) -> candidates.add(new MatchCandidate(id, fields)));
            found.add(candidates);
        }
        return found;
    }

    /** Runs the blocks' queries as one, each row read narrow into the fields of its block's record. */
    private void search(Connection connection, String entity, String system, FieldContract contract, List<Block> blocks,
            List<Map<String, Map<String, Object>>> fieldsByIdOfRecord) throws SQLException {
        List<String> columns = blocks.stream().map(block -> block.field().path()).distinct().toList();
        int[] columnOfBlock = blocks.stream().mapToInt(block -> columns.indexOf(block.field().path())).toArray();
        List<String> selects = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            selects.add("SELECT " + contract.keyPath() + ", " + String.join(", ", columns) + ", " + i
                    + " AS syncline_block FROM " + contract.table() + " WHERE " + blocks.get(i).condition());
        }
        SqlDialect dialect = SqlDialect.of(connection);
        try (PreparedStatement statement = connection.prepareStatement(union(selects))) {
            bindKeys(statement, blocks);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String id = String.valueOf(rows.getObject(1));
                    int index = rows.getInt(columns.size() + 2);
                    Block block = blocks.get(index);
                    CompiledField field = block.field();
                    Object raw = CanonicalInstants.canonical(dialect.read(rows, columnOfBlock[index] + 2));
                    Map<String, Object> fields = fieldsByIdOfRecord.get(block.record())
                            .computeIfAbsent(id, unused -> new LinkedHashMap<>());
                    try {
                        fields.put(field.field(), field.transforms().toCanonical(raw,
                                new TransformContext(entity, system, field.field(), fields)));
                    } catch (TransformException unreadable) {
                        // a value its own transforms refuse cannot be compared; the row's other fields still can
                    }
                }
            }
        }
    }

    /** The candidates as whole rows read through the contract, each found once. */
    private List<MatchCandidate> wholeRows(Connection connection, String entity, String system, FieldContract contract,
            List<Block> blocks) throws SQLException {
        List<String> selects = blocks.stream()
                .map(block -> "SELECT * FROM " + contract.table() + " WHERE " + block.condition()).toList();
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        SqlDialect dialect = SqlDialect.of(connection);
        try (PreparedStatement statement = connection.prepareStatement(union(selects))) {
            bindKeys(statement, blocks);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String id = String.valueOf(rows.getObject(contract.keyPath()));
                    if (!byId.containsKey(id)) {
                        byId.put(id, JdbcRecords.row(dialect, rows));
                    }
                }
            }
        }
        return candidates(connection, dialect, entity, system, contract, List.copyOf(byId.values()));
    }

    private static String union(List<String> selects) {
        return selects.size() == 1 ? selects.get(0) : "(" + String.join(") UNION ALL (", selects) + ")";
    }

    private static void bindKeys(PreparedStatement statement, List<Block> blocks) throws SQLException {
        for (int i = 0; i < blocks.size(); i++) {
            statement.setString(i + 1, blocks.get(i).key());
        }
    }

    /**
     * One blocking query of a rule: the place of the record it searches for, the field it
     * compares, its WHERE clause and the key bound to it.
     */
    private record Block(int record, CompiledField field, String condition, String key) {
    }

    /** The row with the system's id {@code id}, read as a candidate; empty when there is none. */
    Optional<MatchCandidate> byKey(Connection connection, String entity, String system, String id) throws SQLException {
        FieldContract contract = transformer.contract(entity, system);
        SqlDialect dialect = SqlDialect.of(connection);
        Optional<Map<String, Object>> row = JdbcRecords.rowByKey(connection, dialect, contract, id);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(candidates(connection, dialect, entity, system, contract, List.of(row.get())).get(0));
    }

    /**
     * The rows with the system's ids {@code ids}, read as candidates in one query, by their ids
     * as the key column reads back; ids without a row are left out.
     */
    Map<String, MatchCandidate> byKeys(Connection connection, String entity, String system, List<String> ids)
            throws SQLException {
        FieldContract contract = transformer.contract(entity, system);
        SqlDialect dialect = SqlDialect.of(connection);
        List<Map<String, Object>> read = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                dialect.selectByKeys(contract.table(), contract.keyPath(), ids.size()).sql())) {
            for (int i = 0; i < ids.size(); i++) {
                dialect.bindKey(statement, i + 1, ids.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    read.add(JdbcRecords.row(dialect, rows));
                }
            }
        }
        Map<String, MatchCandidate> found = new LinkedHashMap<>();
        for (MatchCandidate candidate : candidates(connection, dialect, entity, system, contract, read)) {
            found.put(candidate.systemId(), candidate);
        }
        return found;
    }

    /**
     * The field a rule searches, as the contract reads it from a column, or null when the rule
     * searches no table (the ID map) or the contract maps no column it can read.
     */
    private static CompiledField searchedField(FieldContract contract, MatchRule rule) {
        String field = rule.searchedField();
        if (field == null) {
            return null;
        }
        for (CompiledField compiled : contract.fields()) {
            if (compiled.field().equals(field) && compiled.direction().reads() && JdbcUpsert.isIdentifier(compiled.path())) {
                return compiled;
            }
        }
        return null;
    }

    /** The rows read through the contract, with their documents' lines from any child table, in one query a table. */
    private List<MatchCandidate> candidates(Connection connection, SqlDialect dialect, String entity, String system,
            FieldContract contract, List<Map<String, Object>> rows) throws SQLException {
        List<ChildTable> children = ChildTable.of(model, entity, system);
        List<Map<String, Object>> whole = children.isEmpty() || rows.isEmpty() ? rows
                : ChildRows.attach(connection, dialect, children, contract.keyPath(), rows);
        List<MatchCandidate> candidates = new ArrayList<>(whole.size());
        for (Map<String, Object> row : whole) {
            candidates.add(candidate(row, entity, system, contract));
        }
        return candidates;
    }

    private MatchCandidate candidate(Map<String, Object> row, String entity, String system, FieldContract contract) {
        try {
            CanonicalRecord canonical = transformer.toCanonicalUnhashed(entity, system, row);
            return new MatchCandidate(String.valueOf(row.get(contract.keyPath())), canonical.fields());
        } catch (RecordRejectedException | io.syncline.mapping.RecordHeldException unreadable) {
            // A row the contract cannot read cannot be compared; the key alone still can by ID map.
            return new MatchCandidate(String.valueOf(row.get(contract.keyPath())), Map.of());
        }
    }

}
