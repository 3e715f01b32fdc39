package io.syncline.reconcile.bisect;

import io.syncline.store.Transactions;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** Checksum queries in transactions of their own, with the settings every checksum query needs. */
final class ChecksumQueries {

    private ChecksumQueries() {
    }

    @FunctionalInterface
    interface RowReader {

        void read(ResultSet rows) throws SQLException;
    }

    /**
     * Runs {@code sql}, binding each list of {@code segmentLists} as a {@code bigint[]} parameter in
     * order, and hands every row to {@code reader}.
     */
    @SafeVarargs
    static void query(String system, Connection connection, String sql, RowReader reader, List<Long>... segmentLists)
            throws SQLException {
        query(system, connection, null, sql, reader, segmentLists);
    }

    /** The same, running the statement {@code prelude} first in the same transaction (a lock, say). */
    @SafeVarargs
    static void query(String system, Connection connection, String prelude, String sql, RowReader reader,
            List<Long>... segmentLists) throws SQLException {
        try {
            inTransaction(connection, settings -> {
                // Local to this transaction, so a pooled connection goes back as it came: a hash table
                // of a few thousand segments, never a sort of the whole table (the planner expects as
                // many groups as rows), and no JIT compilation (it costs more than it saves here).
                settings.execute("SET LOCAL enable_sort = off");
                settings.execute("SET LOCAL jit = off");
                // The planner, expecting as many groups as rows, sees no gain in partial aggregates; there is
                // one: each worker the database allows hashes its share of the table.
                settings.execute("SET LOCAL parallel_tuple_cost = 0");
                // Floats are hashed as their text: the shortest text that reads back as the same value.
                settings.execute("SET LOCAL extra_float_digits = 1");
                if (prelude != null) {
                    settings.execute(prelude);
                }
                try (PreparedStatement select = connection.prepareStatement(sql)) {
                    select.setFetchSize(10_000);
                    for (int i = 0; i < segmentLists.length; i++) {
                        Array array = connection.createArrayOf("bigint", segmentLists[i].toArray(new Long[0]));
                        select.setArray(i + 1, array);
                    }
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            reader.read(rows);
                        }
                    }
                }
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            throw new SQLException(system + ": computing checksums failed: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    interface Work<T> {

        T run(Statement statement) throws SQLException;
    }

    /** Runs {@code work} in a transaction of its own (committed, or rolled back when it throws), then restores auto-commit. */
    static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
        return Transactions.inTransaction(connection, transaction -> {
            try (Statement statement = transaction.createStatement()) {
                return work.run(statement);
            }
        });
    }

    static long mask(int bits) {
        return (1L << bits) - 1;
    }
}
