package io.syncline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

/**
 * A figure of one entity as one source system sends it (a count, a time): what the stores answer
 * for the console's overview, each from its own table.
 */
public record BySource<T>(String entity, String sourceSystem, T value) {

    /**
     * The rows of {@code from} (its table and condition: {@code FROM inbox WHERE received_at >= ?})
     * counted per entity and source system, with {@code since} bound to its parameters in order.
     */
    public static List<BySource<Long>> counts(DataSource dataSource, String from, Instant... since) throws SQLException {
        return query(dataSource, "SELECT entity, source_system, count(*) " + from + " GROUP BY entity, source_system", since,
                rows -> rows.getLong(3));
    }

    /**
     * Runs {@code sql}, which selects entity, source system and a time grouped by both, with
     * {@code since} bound to its parameters in order.
     */
    public static List<BySource<Instant>> times(DataSource dataSource, String sql, Instant... since) throws SQLException {
        return query(dataSource, sql, since, rows -> rows.getTimestamp(3).toInstant());
    }

    @FunctionalInterface
    private interface Column<T> {

        T read(ResultSet rows) throws SQLException;
    }

    private static <T> List<BySource<T>> query(DataSource dataSource, String sql, Instant[] since, Column<T> value)
            throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < since.length; i++) {
                select.setTimestamp(i + 1, Timestamp.from(since[i]));
            }
            return Rows.list(select, rows -> new BySource<>(rows.getString(1), rows.getString(2), value.read(rows)));
        }
    }
}
