package io.syncline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

/** A synced record named by its entity and canonical id, as the stores find it for a person's search. */
public record CanonicalRef(String entity, String canonicalId) {

    /** Runs {@code sql}, which selects entity and canonical id, with {@code values} bound in order; at most {@code limit}. */
    public static List<CanonicalRef> find(DataSource dataSource, String sql, int limit, String... values) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                select.setString(i + 1, values[i]);
            }
            select.setMaxRows(limit);
            return Rows.list(select, rows -> new CanonicalRef(rows.getString(1), rows.getString(2)));
        }
    }
}
