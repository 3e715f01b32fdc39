package io.syncline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

/**
 * Records of an entity from either of two systems that a store holds back (open review items,
 * dead letters), each by its id in the system that sent it, with why: what a reconciliation
 * reports as an expected difference instead of drift.
 */
public final class RecordReasons {

    /** Says why a record is held back, from the row's id and reason. */
    @FunctionalInterface
    public interface Reason {

        String of(long id, String reason);
    }

    private RecordReasons() {
    }

    /**
     * Runs {@code sql}, whose parameters are the entity and the two systems in that order and whose
     * rows are a record id, the row's id and its reason, oldest first: the newest row of a record wins.
     */
    public static Map<String, String> read(DataSource dataSource, String sql, String entity, String a, String b,
            Reason reason) throws SQLException {
        Map<String, String> reasons = new HashMap<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            select.setString(1, entity);
            select.setString(2, a);
            select.setString(3, b);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    reasons.put(rows.getString(1), reason.of(rows.getLong(2), rows.getString(3)));
                }
            }
        }
        return reasons;
    }
}
