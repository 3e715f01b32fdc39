package io.syncline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Write statements collected in one JDBC batch per statement and sent by {@link #flush()}, in the
 * order each statement was first used: the rows of several events saved in one round trip per
 * statement instead of one per row. Each row is bound when it is written, so it holds the values
 * of that moment. A row that must be new ({@link #writeNew}) is checked by its update count when
 * it is sent.
 */
public final class DeferredWrites implements Writes, AutoCloseable {

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new LinkedHashMap<>();
    /** Per statement, for each row in the order added: what it is if it must be new, else null. */
    private final Map<String, List<String>> rowsNamed = new LinkedHashMap<>();

    public DeferredWrites(Connection connection) {
        this.connection = connection;
    }

    @Override
    public void write(String sql, Row... rows) throws SQLException {
        for (Row row : rows) {
            add(sql, null, row);
        }
    }

    @Override
    public void writeNew(String sql, String what, Row row) throws SQLException {
        add(sql, what, row);
    }

    private void add(String sql, String what, Row row) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        row.bind(statement);
        statement.addBatch();
        rowsNamed.computeIfAbsent(sql, key -> new ArrayList<>()).add(what);
    }

    /**
     * Sends what was written, statement by statement; a failing row fails the flush (and its
     * transaction), as does a row that had to be new and inserted nothing ({@link RowExistsException}).
     */
    public void flush() throws SQLException {
        for (Map.Entry<String, PreparedStatement> statement : statements.entrySet()) {
            int[] counts = statement.getValue().executeBatch();
            List<String> named = rowsNamed.remove(statement.getKey());
            for (int i = 0; i < counts.length && named != null && i < named.size(); i++) {
                if (counts[i] == 0 && named.get(i) != null) {
                    throw new RowExistsException(named.get(i));
                }
            }
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
        rowsNamed.clear();
    }
}
