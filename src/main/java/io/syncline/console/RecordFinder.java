package io.syncline.console;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds records for the record-status page by what a person knows of them: a canonical id, the
 * record's id in any system (the ID map), or an e-mail address (the values Syncline last synced,
 * kept in each record state). An e-mail search reads the record states' values, so it is a scan:
 * fine for a person's search, not for an API client's loop.
 */
@ApplicationScoped
public class RecordFinder {

    /** A record found: its entity and canonical id. */
    public record Found(String entity, String canonicalId) {
    }

    static final int LIMIT = 20;

    private final AgroalDataSource dataSource;

    public RecordFinder(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @param entity null for every entity */
    public List<Found> find(String entity, String query) throws SQLException {
        Set<Found> found = new LinkedHashSet<>();
        try (Connection connection = dataSource.getConnection()) {
            collect(connection, found, "SELECT DISTINCT entity, canonical_id FROM id_map WHERE (system_id = ? OR canonical_id = ?)"
                    + " AND (? IS NULL OR entity = ?) ORDER BY entity, canonical_id", query, query, entity, entity);
            if (query.contains("@")) {
                String needle = "%\"email\":\"" + likeEscaped(query.toLowerCase(java.util.Locale.ROOT)) + "\"%";
                collect(connection, found, "SELECT DISTINCT entity, canonical_id FROM record_state"
                        + " WHERE lower(field_values) LIKE ? ESCAPE '!' AND (? IS NULL OR entity = ?) ORDER BY entity, canonical_id",
                        needle, entity, entity);
            }
        }
        return new ArrayList<>(found).subList(0, Math.min(found.size(), LIMIT));
    }

    /** The record's audit entries, newest first. */
    public List<Map<String, Object>> timeline(String entity, String canonicalId, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT occurred_at, action, source_system, target_system, target_id, run_id, actor, detail FROM audit_log"
                        + " WHERE entity = ? AND canonical_id = ? ORDER BY id DESC LIMIT ?")) {
            select.setString(1, entity);
            select.setString(2, canonicalId);
            select.setInt(3, limit);
            List<Map<String, Object>> entries = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Map<String, Object> entry = new java.util.LinkedHashMap<>();
                    for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                        entry.put(rows.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT), rows.getObject(i));
                    }
                    entries.add(entry);
                }
            }
            return entries;
        }
    }

    private static void collect(Connection connection, Set<Found> found, String sql, String... values) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                select.setString(i + 1, values[i]);
            }
            select.setMaxRows(LIMIT);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(new Found(rows.getString(1), rows.getString(2)));
                }
            }
        }
    }

    private static String likeEscaped(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_").replace("\"", "\\\"");
    }
}
