package io.syncline.store;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Writes rows of a table by their key, each updated where it exists and inserted where it does
 * not, in SQL both state stores speak: the embedded H2 store knows
 * {@code INSERT … ON CONFLICT DO NOTHING} but neither a conflict target nor {@code DO UPDATE}.
 *
 * <p>Each row is updated; a row the update did not find is inserted where it still does not
 * exist ({@code INSERT … SELECT … WHERE NOT EXISTS}). A writer on another replica may insert
 * the same key between the two statements: the insert then finds its row (and inserts nothing),
 * or, while that writer's transaction is open, waits for it and fails with a unique violation.
 * Either way the row exists by then, and is updated once more. Within a transaction the insert
 * runs under a savepoint, so that its unique violation leaves the caller's transaction usable.
 * (H2 does not wait: it fails such an insert at once, and the write fails with the unique
 * violation while the other transaction is open. The embedded store serves one process, whose
 * writers of one key, a poll's or a capture's, do not run at once.)
 */
public final class Upsert {

    /** A row to write: its key's values, in the order of the key columns, and the others', in theirs. */
    public record Row(Sql.Params key, Sql.Params values) {
    }

    private static final String UNIQUE_VIOLATION = "23505";
    /** The first write, and the one after a writer that overtook it: its row exists then. */
    private static final int ATTEMPTS = 2;

    private final String update;
    private final String insert;
    private final int keys;
    private final int values;

    private Upsert(String update, String insert, int keys, int values) {
        this.update = update;
        this.insert = insert;
        this.keys = keys;
        this.values = values;
    }

    /** Rows of {@code table} keyed by {@code keyColumns}, whose {@code valueColumns} each write sets. */
    public static Upsert of(String table, List<String> keyColumns, List<String> valueColumns) {
        return of(table, keyColumns, valueColumns, "");
    }

    /**
     * As {@link #of(String, List, List)}, the update also setting {@code alsoSet} (assignments
     * without parameters, such as {@code "confirmed_by = NULL"}; empty for none), which an insert
     * leaves to the columns' defaults.
     */
    public static Upsert of(String table, List<String> keyColumns, List<String> valueColumns, String alsoSet) {
        String where = String.join(" = ? AND ", keyColumns) + " = ?";
        String set = String.join(" = ?, ", valueColumns) + " = ?" + (alsoSet.isEmpty() ? "" : ", " + alsoSet);
        List<String> columns = new ArrayList<>(keyColumns);
        columns.addAll(valueColumns);
        String update = "UPDATE " + table + " SET " + set + " WHERE " + where;
        String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") SELECT "
                + "?, ".repeat(columns.size() - 1) + "? WHERE NOT EXISTS (SELECT 1 FROM " + table + " WHERE " + where + ")";
        return new Upsert(update, insert, keyColumns.size(), valueColumns.size());
    }

    /** Writes one row on the caller's connection (in its transaction, where it has one). */
    public void write(Connection connection, Row row) throws SQLException {
        write(connection, List.of(row));
    }

    /** Writes the rows, as batches, on the caller's connection (in its transaction, where it has one). */
    public void write(Connection connection, Collection<Row> rows) throws SQLException {
        List<Row> pending = List.copyOf(rows);
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            pending = unwritten(connection, update, pending, this::bindUpdate);
            if (pending.isEmpty()) {
                return;
            }
            Savepoint before = connection.getAutoCommit() ? null : connection.setSavepoint();
            try {
                pending = unwritten(connection, insert, pending, this::bindInsert);
                if (before != null) {
                    connection.releaseSavepoint(before);
                }
            } catch (SQLException e) {
                if (attempt == ATTEMPTS || !uniqueViolation(e)) {
                    throw e;
                }
                if (before != null) {
                    connection.rollback(before);
                }
            }
            if (attempt == ATTEMPTS && !pending.isEmpty()) {
                // neither found nor inserted twice: the row was deleted and written again meanwhile
                throw new SQLException(pending.size() + " rows changed by another writer while written", "40001");
            }
        }
    }

    private void bindUpdate(PreparedStatement statement, Row row) throws SQLException {
        row.values().bind(Parameters.at(statement, 0));
        row.key().bind(Parameters.at(statement, values));
    }

    private void bindInsert(PreparedStatement statement, Row row) throws SQLException {
        row.key().bind(Parameters.at(statement, 0));
        row.values().bind(Parameters.at(statement, keys));
        row.key().bind(Parameters.at(statement, keys + values));
    }

    /** Runs {@code sql} for each row as one batch; the rows it changed none of. */
    private static List<Row> unwritten(Connection connection, String sql, List<Row> rows, Sql.RowBinder<Row> binder)
            throws SQLException {
        int[] counts = Sql.batch(connection, sql, rows, binder);
        List<Row> unwritten = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (counts[i] == 0) {
                unwritten.add(rows.get(i));
            }
        }
        return unwritten;
    }

    private static boolean uniqueViolation(SQLException e) {
        for (SQLException cause = e; cause != null; cause = cause.getNextException()) {
            if (UNIQUE_VIOLATION.equals(cause.getSQLState())) {
                return true;
            }
            if (cause instanceof BatchUpdateException && cause.getCause() instanceof SQLException reason
                    && UNIQUE_VIOLATION.equals(reason.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
