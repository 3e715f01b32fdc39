package io.syncline.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.syncline.store.Sql;
import io.syncline.store.Writes;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The audit log (table {@code audit_log}). An entry about a change is written on the
 * connection that makes the change, so that the log never claims what did not commit.
 */
@ApplicationScoped
public class AuditLog {

    private static final String INSERT = "INSERT INTO audit_log (action, entity, canonical_id, source_system, source_id,"
            + " target_system, target_id, run_id, inbox_id, event_key, version_hash, diff, detail, actor)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final AgroalDataSource dataSource;
    private final ObjectMapper mapper;

    public AuditLog(AgroalDataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    public void record(Connection connection, AuditEntry entry) throws SQLException {
        record(Writes.immediate(connection), entry);
    }

    /** An entry through the transaction's writes (sent with the rest of a batch's, when deferred). */
    public void record(Writes writes, AuditEntry entry) throws SQLException {
        String diff = entry.diff() == null ? null : json(entry.diff());
        writes.write(INSERT, insert -> {
            insert.setString(1, entry.action().code());
            insert.setString(2, entry.entity());
            insert.setString(3, entry.canonicalId());
            insert.setString(4, entry.sourceSystem());
            insert.setString(5, entry.sourceId());
            insert.setString(6, entry.targetSystem());
            insert.setString(7, entry.targetId());
            insert.setString(8, entry.runId());
            insert.setObject(9, entry.inboxId());
            insert.setString(10, entry.eventKey());
            insert.setString(11, entry.versionHash());
            insert.setString(12, diff);
            insert.setString(13, entry.detail());
            insert.setString(14, entry.actor());
        });
    }

    /** An entry on a connection of its own, for decisions outside an apply transaction. */
    public void record(AuditEntry entry) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            record(connection, entry);
        }
    }

    /** The record's entries, newest first, at most {@code limit}: each column by its name. */
    public List<Map<String, Object>> timeline(String entity, String canonicalId, int limit) throws SQLException {
        return Sql.list(dataSource, "SELECT occurred_at, action, source_system, target_system, target_id, run_id, actor,"
                + " detail FROM audit_log WHERE entity = ? AND canonical_id = ? ORDER BY id DESC LIMIT ?", select -> {
                    select.setString(1, entity);
                    select.setString(2, canonicalId);
                    select.setInt(3, limit);
                }, rows -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                        entry.put(rows.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT), rows.getObject(i));
                    }
                    return entry;
                });
    }

    private String json(Object value) throws SQLException {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new SQLException("Cannot write the audit diff as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Replaces entry {@code id}'s diff and detail (a privacy request's erasure: field names only,
     * the reason of the erasure), on the caller's connection; returns the rows changed.
     */
    public int erase(Connection connection, long id, String diff, String detail) throws SQLException {
        return Sql.update(connection, "UPDATE audit_log SET diff = ?, detail = ? WHERE id = ?", update -> {
            update.setString(1, diff);
            update.setString(2, detail);
            update.setLong(3, id);
        });
    }
}
