package io.syncline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Where a transaction's write statements go whose outcome nothing in the transaction reads back
 * (a record state saved, an audit entry, an inbox event marked done): run at once on its
 * connection ({@link #immediate}), or collected and sent together before the commit
 * ({@link DeferredWrites}), one round trip for many rows.
 */
public interface Writes {

    /** Binds one row's parameters. */
    @FunctionalInterface
    interface Row {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** Writes the rows with the statement; several go in one JDBC batch. */
    void write(String sql, Row... rows) throws SQLException;

    /**
     * Writes a row that must be new: {@code sql} inserts nothing where it exists already
     * ({@code INSERT … ON CONFLICT DO NOTHING}), and then the write fails with
     * {@link RowExistsException} naming {@code what}: at once, or when deferred rows are sent.
     */
    void writeNew(String sql, String what, Row row) throws SQLException;

    /** Each statement run on the connection as it comes. */
    static Writes immediate(Connection connection) {
        return new Writes() {
            @Override
            public void write(String sql, Row... rows) throws SQLException {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    if (rows.length == 1) {
                        rows[0].bind(statement);
                        statement.executeUpdate();
                        return;
                    }
                    for (Row row : rows) {
                        row.bind(statement);
                        statement.addBatch();
                    }
                    statement.executeBatch();
                }
            }

            @Override
            public void writeNew(String sql, String what, Row row) throws SQLException {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    row.bind(statement);
                    if (statement.executeUpdate() == 0) {
                        throw new RowExistsException(what);
                    }
                }
            }
        };
    }
}
