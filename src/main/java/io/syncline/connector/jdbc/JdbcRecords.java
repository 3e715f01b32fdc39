package io.syncline.connector.jdbc;

import io.syncline.compiled.SyncModelRegistry;
import io.syncline.mapping.CanonicalInstants;
import io.syncline.mapping.FieldContract;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One record of a JDBC system, by its key, outside the apply path: read it, find it by a value,
 * delete it or empty its columns. Privacy requests use it (docs/privacy.md) on the same
 * connections, dialects and identifier checks as the apply path's writes; each call commits on
 * its own.
 */
@ApplicationScoped
public class JdbcRecords {

    private final SyncModelRegistry registry;
    private final JdbcConnections connections;

    public JdbcRecords(SyncModelRegistry registry, JdbcConnections connections) {
        this.registry = registry;
        this.connections = connections;
    }

    /**
     * The row of the record, column to value, times as ISO-8601 text as canonical records carry
     * them; empty when the table has none.
     */
    public Optional<Map<String, Object>> read(String entity, String system, String id) throws SQLException {
        FieldContract contract = contract(entity, system);
        try (Connection connection = connections.dataSource(system).getConnection()) {
            SqlDialect dialect = SqlDialect.of(connection);
            Optional<Map<String, Object>> row = rowByKey(connection, dialect, contract, id);
            List<ChildTable> children = ChildTable.of(registry.current(), entity, system);
            if (row.isEmpty() || children.isEmpty()) {
                return row;
            }
            return Optional.of(ChildRows.attach(connection, dialect, children, contract.keyPath(), List.of(row.get())).get(0));
        }
    }

    /** The row of the contract's table whose key is {@code id}, as {@link #row} reads it, without lines; empty when there is none. */
    static Optional<Map<String, Object>> rowByKey(Connection connection, SqlDialect dialect, FieldContract contract, String id)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                dialect.selectByKey(contract.table(), contract.keyPath(), List.of()).sql())) {
            dialect.bindKey(select, 1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(row(dialect, rows)) : Optional.empty();
            }
        }
    }

    /** The current row of {@code rows}, by lower-cased column label, times as ISO-8601 text as canonical records carry them. */
    static Map<String, Object> row(SqlDialect dialect, ResultSet rows) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int column = 1; column <= meta.getColumnCount(); column++) {
            row.put(meta.getColumnLabel(column).toLowerCase(java.util.Locale.ROOT), CanonicalInstants.canonical(dialect.read(rows, column)));
        }
        return row;
    }

    /** The keys of the records whose {@code column} holds {@code value}, compared lower-cased. */
    public List<String> findKeys(String entity, String system, String column, String value) throws SQLException {
        FieldContract contract = contract(entity, system);
        List<String> keys = new ArrayList<>();
        try (Connection connection = connections.dataSource(system).getConnection();
                PreparedStatement select = connection.prepareStatement(
                        SqlDialect.of(connection).selectKeysByValue(contract.table(), contract.keyPath(), column).sql())) {
            select.setString(1, value.toLowerCase(java.util.Locale.ROOT));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    keys.add(rows.getString(1));
                }
            }
        }
        return keys;
    }

    /** Deletes the record's row, and its lines kept in child tables first; true when there was a row. */
    public boolean delete(String entity, String system, String id) throws SQLException {
        FieldContract contract = contract(entity, system);
        List<ChildTable> children = ChildTable.of(registry.current(), entity, system);
        try (Connection connection = connections.dataSource(system).getConnection()) {
            SqlDialect dialect = SqlDialect.of(connection);
            int[] deleted = new int[1];
            inOneCommit(connection, () -> {
                ChildRows.delete(connection, dialect, children, id);
                try (PreparedStatement delete = connection.prepareStatement(dialect.deleteByKey(contract.table(), contract.keyPath()).sql())) {
                    dialect.bindKey(delete, 1, id);
                    deleted[0] = delete.executeUpdate();
                }
            });
            return deleted[0] > 0;
        }
    }

    /**
     * Empties the record's {@code columns} and stamps the mapping's soft-delete column, if it
     * has one, with the time; true when there was a row. A document's lines kept in a child table
     * among them (the list's path) are deleted: a row of its own holds nothing once emptied.
     */
    public boolean anonymise(String entity, String system, String id, List<String> columns) throws SQLException {
        FieldContract contract = contract(entity, system);
        String stamp = contract.delete() != null ? contract.delete().column() : null;
        List<ChildTable> emptiedLines = ChildTable.of(registry.current(), entity, system).stream()
                .filter(child -> columns.contains(child.path())).toList();
        List<String> emptied = columns.stream().filter(column -> emptiedLines.stream().noneMatch(child -> child.path().equals(column)))
                .toList();
        try (Connection connection = connections.dataSource(system).getConnection()) {
            SqlDialect dialect = SqlDialect.of(connection);
            int[] updated = new int[1];
            inOneCommit(connection, () -> {
                ChildRows.delete(connection, dialect, emptiedLines, id);
                // only lines emptied, and no stamp: the row stays as it is
                SqlStatement statement = emptied.isEmpty() && stamp == null
                        ? dialect.selectByKey(contract.table(), contract.keyPath(), List.of(contract.keyPath()))
                        : dialect.anonymise(contract.table(), contract.keyPath(), emptied, stamp);
                try (PreparedStatement update = connection.prepareStatement(statement.sql())) {
                    int index = 1;
                    if (stamp != null) {
                        update.setObject(index++, dialect.timestamp(Instant.now()));
                    }
                    dialect.bindKey(update, index, id);
                    if (emptied.isEmpty() && stamp == null) {
                        try (ResultSet found = update.executeQuery()) {
                            updated[0] = found.next() ? 1 : 0;
                        }
                    } else {
                        updated[0] = update.executeUpdate();
                    }
                }
            });
            return updated[0] > 0;
        }
    }

    /** Runs the statements in one transaction, committed here whether or not the connection commits each. */
    private static void inOneCommit(Connection connection, ChildRows.Work work) throws SQLException {
        if (connection.getAutoCommit()) {
            ChildRows.together(connection, work);
        } else {
            work.run();
            connection.commit();
        }
    }

    private FieldContract contract(String entity, String system) {
        return registry.current().transformer().contract(entity, system);
    }
}
