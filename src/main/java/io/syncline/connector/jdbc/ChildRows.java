package io.syncline.connector.jdbc;

import io.syncline.mapping.CanonicalInstants;
import io.syncline.store.Transactions;
import io.syncline.store.Writes;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes a document's lines kept as rows of a child table ({@link ChildTable}), on the
 * connection, and so in the transaction, of the parent row's read or write. A write makes the
 * parent's rows equal the document's lines: by the list's key where it has one (rows of keys no
 * longer there deleted, the others updated, new keys inserted), else by replacing them in order,
 * each line's place in the position column. Lines are read for a page of parent rows at once:
 * one query a page (and child table), not one a row. Values are only ever bound.
 */
final class ChildRows {

    /** Parent keys bound in one statement when reading: far below any driver's parameter limit. */
    private static final int PARENTS_PER_STATEMENT = 1000;

    private ChildRows() {
    }

    /** Work on one connection that must commit or roll back as one. */
    @FunctionalInterface
    interface Work {

        void run() throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction: the connection's own where it has one (the state
     * store's, an apply batch's), else one begun and committed here, so that a parent row and its
     * lines are written or removed together on a connection that commits each statement.
     */
    static void together(Connection connection, Work work) throws SQLException {
        if (!connection.getAutoCommit()) {
            work.run();
            return;
        }
        Transactions.inTransaction(connection, begun -> {
            work.run();
            return null;
        });
    }

    /**
     * Makes the child rows of {@code parentKey} equal {@code lines} (each a map of column to
     * value, as the contract writes a line); {@code null} lines: none.
     */
    static void write(Connection connection, SqlDialect dialect, ChildTable table, Object parentKey, List<?> lines)
            throws SQLException {
        List<Map<?, ?>> written = new ArrayList<>();
        if (lines != null) {
            for (Object line : lines) {
                written.add(line instanceof Map<?, ?> map ? map : Map.of());
            }
        }
        Writes writes = Writes.immediate(connection);
        List<String> inserted = new ArrayList<>();
        inserted.add(table.parent());
        inserted.addAll(table.columns());
        if (table.position() != null) {
            inserted.add(table.position());
        }
        String insert = dialect.insert(table.table(), inserted).sql();
        List<Writes.Row> inserts = new ArrayList<>();
        if (table.keyColumn() == null) {
            writes.write(dialect.deleteChildren(table.table(), table.parent(), null).sql(),
                    parameters -> dialect.bindKey(parameters, 1, parentKey));
            for (int i = 0; i < written.size(); i++) {
                inserts.add(insertRow(dialect, table, parentKey, written.get(i), i + 1));
            }
        } else {
            Map<String, Object> existing = keys(connection, dialect, table, parentKey);
            Map<String, Map<?, ?>> wanted = new LinkedHashMap<>();
            for (Map<?, ?> line : written) {
                wanted.put(keyText(line.get(table.keyColumn())), line);
            }
            String delete = dialect.deleteChildren(table.table(), table.parent(), table.keyColumn()).sql();
            for (Map.Entry<String, Object> row : existing.entrySet()) {
                if (!wanted.containsKey(row.getKey())) {
                    Object key = row.getValue();
                    writes.write(delete, parameters -> {
                        dialect.bindKey(parameters, 1, parentKey);
                        parameters.setObject(2, key);
                    });
                }
            }
            List<String> updated = new ArrayList<>(table.columns());
            updated.remove(table.keyColumn());
            if (table.position() != null) {
                updated.add(table.position());
            }
            String update = updated.isEmpty() ? null : dialect.updateChild(table.table(), table.parent(), table.keyColumn(), updated).sql();
            int position = 0;
            for (Map<?, ?> line : written) {
                position++;
                if (!existing.containsKey(keyText(line.get(table.keyColumn())))) {
                    inserts.add(insertRow(dialect, table, parentKey, line, position));
                } else if (update != null) {
                    int place = position;
                    writes.write(update, parameters -> {
                        int index = 1;
                        for (String column : updated) {
                            Object value = column.equals(table.position()) ? Integer.valueOf(place) : line.get(column);
                            dialect.bindValue(parameters, index++, value, typeOf(table, column));
                        }
                        dialect.bindKey(parameters, index++, parentKey);
                        dialect.bindValue(parameters, index, line.get(table.keyColumn()), typeOf(table, table.keyColumn()));
                    });
                }
            }
        }
        if (!inserts.isEmpty()) {
            writes.write(insert, inserts.toArray(Writes.Row[]::new));
        }
    }

    /** Removes the child rows of {@code parentKey} in every child table: its row goes, or its lines are erased. */
    static void delete(Connection connection, SqlDialect dialect, List<ChildTable> tables, Object parentKey) throws SQLException {
        for (ChildTable table : tables) {
            Writes.immediate(connection).write(dialect.deleteChildren(table.table(), table.parent(), null).sql(),
                    parameters -> dialect.bindKey(parameters, 1, parentKey));
        }
    }

    /**
     * The parent rows (column label, lower-cased, to value), each with its lines from every child
     * table under the table's path: a list of rows (column to value, times as canonical text), in
     * their order, empty where the parent has none. {@code rows} are left as they are.
     */
    static List<Map<String, Object>> attach(Connection connection, SqlDialect dialect, List<ChildTable> tables, String keyColumn,
            List<? extends Map<String, Object>> rows) throws SQLException {
        String key = keyColumn.toLowerCase(Locale.ROOT);
        List<Map<String, Object>> attached = new ArrayList<>(rows.size());
        List<Object> parents = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            attached.add(new LinkedHashMap<>(row));
            if (row.get(key) != null) {
                parents.add(row.get(key));
            }
        }
        for (ChildTable table : tables) {
            Map<String, List<Map<String, Object>>> lines = read(connection, dialect, table, parents);
            for (Map<String, Object> row : attached) {
                List<Map<String, Object>> own = lines.get(String.valueOf(row.get(key)));
                row.put(table.path(), own == null ? new ArrayList<>() : own);
            }
        }
        return attached;
    }

    /** The child rows of {@code parents}, by the parent key's text, a statement for each thousand parents. */
    private static Map<String, List<Map<String, Object>>> read(Connection connection, SqlDialect dialect, ChildTable table,
            List<Object> parents) throws SQLException {
        Map<String, List<Map<String, Object>>> byParent = new HashMap<>();
        String parent = table.parent().toLowerCase(Locale.ROOT);
        String order = table.position() != null ? table.position() : table.keyColumn();
        for (int from = 0; from < parents.size(); from += PARENTS_PER_STATEMENT) {
            List<Object> chunk = parents.subList(from, Math.min(parents.size(), from + PARENTS_PER_STATEMENT));
            try (PreparedStatement select = connection.prepareStatement(
                    dialect.selectChildren(table.table(), table.parent(), chunk.size(), order).sql())) {
                for (int i = 0; i < chunk.size(); i++) {
                    dialect.bindKey(select, i + 1, chunk.get(i));
                }
                try (ResultSet rows = select.executeQuery()) {
                    ResultSetMetaData meta = rows.getMetaData();
                    while (rows.next()) {
                        Map<String, Object> line = new LinkedHashMap<>();
                        for (int column = 1; column <= meta.getColumnCount(); column++) {
                            line.put(meta.getColumnLabel(column).toLowerCase(Locale.ROOT),
                                    CanonicalInstants.canonical(dialect.read(rows, column)));
                        }
                        byParent.computeIfAbsent(String.valueOf(line.get(parent)), unused -> new ArrayList<>()).add(line);
                    }
                }
            }
        }
        return byParent;
    }

    /** The keys of the parent's child rows, by their text, each as the database gave it (to bind back unchanged). */
    private static Map<String, Object> keys(Connection connection, SqlDialect dialect, ChildTable table, Object parentKey)
            throws SQLException {
        Map<String, Object> keys = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                dialect.selectChildKeys(table.table(), table.parent(), table.keyColumn()).sql())) {
            dialect.bindKey(select, 1, parentKey);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Object key = rows.getObject(1);
                    keys.put(keyText(key), key);
                }
            }
        }
        return keys;
    }

    private static Writes.Row insertRow(SqlDialect dialect, ChildTable table, Object parentKey, Map<?, ?> line, int position) {
        return parameters -> {
            dialect.bindKey(parameters, 1, parentKey);
            int index = 2;
            for (int i = 0; i < table.columns().size(); i++) {
                dialect.bindValue(parameters, index++, line.get(table.columns().get(i)), table.types().get(i));
            }
            if (table.position() != null) {
                parameters.setObject(index, position);
            }
        };
    }

    private static io.syncline.model.CanonicalField.Type typeOf(ChildTable table, String column) {
        int at = table.columns().indexOf(column);
        return at < 0 ? null : table.types().get(at);
    }

    /** A line's key as text, so that the number a line holds and the one a row gives compare alike (2, 2L, 2.0). */
    static String keyText(Object key) {
        if (key instanceof Number number) {
            try {
                return new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
            } catch (NumberFormatException notFinite) {
                return number.toString();
            }
        }
        return Objects.toString(key, null);
    }
}
