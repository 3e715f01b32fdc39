package io.syncline.privacy.subject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rows of Syncline's own tables that are about one person ({@link Footprint}): found by their
 * canonical ids, their record's id in a system, or (reconciliation differences) their key. The
 * subject-access export shows them; the erasure scrubs them. Ids go in chunks of {@value #CHUNK}
 * parameters.
 */
public final class SubjectRows {

    /** The tables, in the order the export lists them and the erasure scrubs them. */
    public enum Table {
        audit_log, inbox, dead_letter, review_item, record_state, processed_key, reconciliation_difference, rule_repeat
    }

    private static final int CHUNK = 100;

    private final Connection connection;
    private final Footprint person;

    public SubjectRows(Connection connection, Footprint person) {
        this.connection = connection;
        this.person = person;
    }

    /** The person's rows of the table, every column, in id order (record state: by system). */
    public List<Map<String, Object>> of(Table table) throws SQLException {
        return switch (table) {
            case audit_log -> unique(union(
                    byIds("SELECT * FROM audit_log WHERE entity = ? AND canonical_id IN (%s)", List.of(), person.canonicalIds()),
                    bySystems("SELECT * FROM audit_log WHERE entity = ? AND source_system = ? AND source_id IN (%s)"),
                    bySystems("SELECT * FROM audit_log WHERE entity = ? AND target_system = ? AND target_id IN (%s)")));
            case inbox -> bySystems("SELECT * FROM inbox WHERE entity = ? AND source_system = ? AND record_key IN (%s)");
            case dead_letter -> bySystems("SELECT d.* FROM dead_letter d JOIN inbox i ON i.id = d.inbox_id"
                    + " WHERE i.entity = ? AND i.source_system = ? AND i.record_key IN (%s)");
            case review_item -> unique(union(
                    byIds("SELECT * FROM review_item WHERE entity = ? AND canonical_id IN (%s)", List.of(), person.canonicalIds()),
                    bySystems("SELECT * FROM review_item WHERE entity = ? AND source_system = ? AND source_id IN (%s)")));
            case processed_key -> bySystems("SELECT k.* FROM processed_key k JOIN inbox i ON i.id = k.inbox_id"
                    + " WHERE i.entity = ? AND i.source_system = ? AND i.record_key IN (%s)");
            case record_state -> byIds("SELECT * FROM record_state WHERE entity = ? AND canonical_id IN (%s)", List.of(),
                    person.canonicalIds());
            case rule_repeat -> byIds("SELECT * FROM rule_repeat WHERE entity = ? AND record_key IN (%s)", List.of(),
                    person.canonicalIds());
            case reconciliation_difference -> {
                Set<String> keys = new TreeSet<>(person.allIds());
                keys.addAll(person.keyValues());
                yield unique(union(
                        byIds("SELECT * FROM reconciliation_difference WHERE entity = ? AND record_key IN (%s)", List.of(), keys),
                        byIds("SELECT * FROM reconciliation_difference WHERE entity = ? AND LOWER(record_key) IN (%s)", List.of(),
                                person.keyValues())));
            }
        };
    }

    private List<Map<String, Object>> bySystems(String sql) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var entry : person.ids().entrySet()) {
            rows.addAll(byIds(sql, List.of(entry.getKey()), entry.getValue()));
        }
        return rows;
    }

    /** The rows of {@code sql} (entity, then {@code fixed}, then an IN list of ids), chunk by chunk. */
    private List<Map<String, Object>> byIds(String sql, List<String> fixed, Collection<String> ids) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            try (PreparedStatement select = connection.prepareStatement(
                    String.format(Locale.ROOT, sql, String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"))))) {
                int index = 1;
                select.setString(index++, person.entity());
                for (String value : fixed) {
                    select.setString(index++, value);
                }
                for (String id : chunk) {
                    select.setString(index++, id);
                }
                try (ResultSet result = select.executeQuery()) {
                    ResultSetMetaData meta = result.getMetaData();
                    while (result.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int column = 1; column <= meta.getColumnCount(); column++) {
                            Object value = result.getObject(column);
                            row.put(meta.getColumnLabel(column).toLowerCase(Locale.ROOT),
                                    value instanceof java.util.Date || value instanceof java.time.temporal.Temporal
                                            ? String.valueOf(value instanceof java.sql.Timestamp timestamp ? timestamp.toInstant() : value)
                                            : value);
                        }
                        rows.add(row);
                    }
                }
            }
        }
        return rows;
    }

    @SafeVarargs
    private static List<Map<String, Object>> union(List<Map<String, Object>>... parts) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (List<Map<String, Object>> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    /** One row per id, in id order. */
    private static List<Map<String, Object>> unique(List<Map<String, Object>> rows) {
        Map<Object, Map<String, Object>> byId = new java.util.TreeMap<>();
        rows.forEach(row -> byId.putIfAbsent(((Number) row.get("id")).longValue(), row));
        return new ArrayList<>(byId.values());
    }
}
