package io.syncline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Where a transaction's write statements go whose outcome nothing in the transaction reads back
 * (a record state saved, an audit entry, an inbox event marked done): run at once on its
 * connection ({@link #immediate}), or collected and sent together before the commit
 * ({@link DeferredWrites}), one statement for many rows.
 *
 * <p>The SQL of a write holds one row, {@code VALUES (…)}: several rows of it are sent as one
 * statement with a row group each ({@link RowsStatement}).
 */
public interface Writes {

    /** Binds one row's parameters. */
    @FunctionalInterface
    interface Row {

        void bind(Parameters parameters) throws SQLException;
    }

    /** Writes the rows with the statement; several go in one statement. */
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
                if (rows.length == 1) {
                    executeOne(sql, rows[0]);
                } else if (rows.length > 1) {
                    RowsStatement.of(sql).execute(connection, List.of(rows));
                }
            }

            @Override
            public void writeNew(String sql, String what, Row row) throws SQLException {
                if (executeOne(sql, row) == 0) {
                    throw new RowExistsException(what);
                }
            }

            private int executeOne(String sql, Row row) throws SQLException {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    row.bind(Parameters.at(statement, 0));
                    return statement.executeUpdate();
                }
            }
        };
    }
}
