package io.syncline.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Write statements collected and sent by {@link #flush()}, one multi-row statement per SQL
 * ({@link RowsStatement}), in the order each was first used: the rows of several events saved
 * by one statement instead of one a row. Each row's values are taken when it is written, so it
 * holds the values of that moment. Rows that must be new ({@link #writeNew}) go in statements of
 * their own, whose update count tells whether each inserted.
 */
public final class DeferredWrites implements Writes, AutoCloseable {

    private record Key(String sql, boolean mustBeNew) {
    }

    /** A statement's rows, and for rows that must be new what each is. */
    private record Rows(List<RecordedRow> rows, List<String> named) {
    }

    private final Connection connection;
    private final Map<Key, Rows> pending = new LinkedHashMap<>();

    public DeferredWrites(Connection connection) {
        this.connection = connection;
    }

    @Override
    public void write(String sql, Row... rows) throws SQLException {
        Rows held = held(new Key(sql, false));
        for (Row row : rows) {
            held.rows().add(RecordedRow.of(row));
        }
    }

    @Override
    public void writeNew(String sql, String what, Row row) throws SQLException {
        Rows held = held(new Key(sql, true));
        held.rows().add(RecordedRow.of(row));
        held.named().add(what);
    }

    private Rows held(Key key) {
        return pending.computeIfAbsent(key, k -> new Rows(new ArrayList<>(), new ArrayList<>()));
    }

    /**
     * Sends what was written, statement by statement; a failing statement fails the flush (and
     * its transaction), as does one whose rows had to be new and did not all insert
     * ({@link RowExistsException}, naming the rows of that statement).
     */
    public void flush() throws SQLException {
        List<Map.Entry<Key, Rows>> sending = new ArrayList<>(pending.entrySet());
        pending.clear();
        for (Map.Entry<Key, Rows> statement : sending) {
            List<RecordedRow> rows = statement.getValue().rows();
            for (RowsStatement.Sent sent : RowsStatement.of(statement.getKey().sql()).execute(connection, rows)) {
                if (statement.getKey().mustBeNew() && sent.count() < sent.rows()) {
                    throw new RowExistsException(statement.getValue().named().subList(sent.from(), sent.to()),
                            sent.rows() - sent.count());
                }
            }
        }
    }

    @Override
    public void close() {
        pending.clear();
    }
}
