package io.syncline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A write statement whose SQL holds one row, {@code VALUES (…)} (an {@code INSERT}, or a
 * {@code MERGE … USING (VALUES (…))}), sent for several rows at once as one statement with as
 * many row groups: PostgreSQL then plans, executes and acknowledges it once instead of once a
 * row, which a JDBC batch still does (an apply batch's held-back rows, about seven an event,
 * were most of the statements it sent). The driver's {@code reWriteBatchedInserts} does the same
 * for plain inserts only, and reports no count a row; here a {@code MERGE} gets it too, and a
 * statement's count tells whether every row that had to be new was inserted.
 *
 * <p>Rows of one statement must not name the same target row twice: a {@code MERGE} (or an
 * {@code ON CONFLICT DO UPDATE}) fails on that where one statement a row would not.
 */
public final class RowsStatement {

    /** At most this many rows go in one statement (17 parameters a row stay far below the protocol's limit). */
    static final int MAX_ROWS = 64;

    private static final Map<String, RowsStatement> PARSED = new ConcurrentHashMap<>();

    private final String head;
    private final String group;
    private final String tail;
    private final int width;
    private final Map<Integer, String> sqlByRows = new ConcurrentHashMap<>();

    private RowsStatement(String sql) {
        int values = sql.toUpperCase(Locale.ROOT).indexOf("VALUES (");
        if (values < 0) {
            throw new IllegalArgumentException("A write statement sent for several rows needs one VALUES (…) group: " + sql);
        }
        int start = values + "VALUES ".length();
        int end = closingParenthesis(sql, start);
        this.head = sql.substring(0, start);
        this.group = sql.substring(start, end + 1);
        this.tail = sql.substring(end + 1);
        this.width = (int) group.chars().filter(c -> c == '?').count();
    }

    /** The statement of {@code sql}, parsed once. */
    public static RowsStatement of(String sql) {
        return PARSED.computeIfAbsent(sql, RowsStatement::new);
    }

    /** The parameters of one row. */
    int width() {
        return width;
    }

    /** The SQL for {@code rows} rows. */
    String sql(int rows) {
        return sqlByRows.computeIfAbsent(rows, count -> {
            StringBuilder sql = new StringBuilder(head.length() + tail.length() + count * (group.length() + 2));
            sql.append(head);
            for (int row = 0; row < count; row++) {
                sql.append(row == 0 ? "" : ", ").append(group);
            }
            return sql.append(tail).toString();
        });
    }

    /** One statement sent: its rows, {@code from} inclusive to {@code to} exclusive, and its update count. */
    record Sent(int from, int to, int count) {

        int rows() {
            return to - from;
        }
    }

    /** Sends the rows, {@value #MAX_ROWS} at most a statement, in order. */
    List<Sent> execute(Connection connection, List<? extends Writes.Row> rows) throws SQLException {
        List<Sent> sent = new ArrayList<>((rows.size() + MAX_ROWS - 1) / MAX_ROWS);
        for (int from = 0; from < rows.size(); from += MAX_ROWS) {
            int to = Math.min(rows.size(), from + MAX_ROWS);
            try (PreparedStatement statement = connection.prepareStatement(sql(to - from))) {
                for (int row = from; row < to; row++) {
                    rows.get(row).bind(Parameters.at(statement, (row - from) * width));
                }
                sent.add(new Sent(from, to, statement.executeUpdate()));
            }
        }
        return sent;
    }

    private static int closingParenthesis(String sql, int open) {
        int depth = 0;
        for (int i = open; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("Unbalanced VALUES (…) group in: " + sql);
    }
}
