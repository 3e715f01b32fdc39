package io.syncline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Write statements collected in one JDBC batch per statement and sent by {@link #flush()}, in the
 * order each statement was first used: the rows of several events saved in one round trip per
 * statement instead of one per row. Each row is bound when it is written, so it holds the values
 * of that moment.
 */
public final class DeferredWrites implements Writes, AutoCloseable {

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new LinkedHashMap<>();

    public DeferredWrites(Connection connection) {
        this.connection = connection;
    }

    @Override
    public void write(String sql, Row... rows) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        for (Row row : rows) {
            row.bind(statement);
            statement.addBatch();
        }
    }

    /** Sends what was written, statement by statement; a failing row fails the flush (and its transaction). */
    public void flush() throws SQLException {
        for (PreparedStatement statement : statements.values()) {
            statement.executeBatch();
        }
    }

    @Override
    public void close() {
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                // The connection goes back to the pool, which closes what is left open.
            }
        }
        statements.clear();
    }
}
