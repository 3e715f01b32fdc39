package io.syncline.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.syncline.sensitive.SensitiveValues;
import io.syncline.store.Sql;
import io.syncline.store.Writes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

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
            + " target_system, target_id, run_id, inbox_id, event_key, version_hash, diff, detail, actor, decisions)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final AgroalDataSource dataSource;
    private final ObjectMapper mapper;
    /** Digests of the sensitive fields' values (null outside CDI: values kept as they are). */
    @Inject
    SensitiveValues sensitive;

    public AuditLog(AgroalDataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    public void record(Connection connection, AuditEntry entry) throws SQLException {
        record(Writes.immediate(connection), entry);
    }

    /** An entry through the transaction's writes (sent with the rest of a batch's, when deferred). */
    public void record(Writes writes, AuditEntry entry) throws SQLException {
        String diff = entry.diff() == null ? null
                : Sql.json(mapper, FieldDiff.sealed(sensitive, entry.entity(), entry.diff()), "Cannot write the audit diff as JSON");
        String decisions = entry.decisions() == null || entry.decisions().isEmpty() ? null
                : Sql.json(mapper, entry.decisions(), "Cannot write the audit decisions as JSON");
        writes.write(INSERT,
                Sql.params()
                        .text(entry.action().code(), entry.entity(), entry.canonicalId(), entry.sourceSystem(), entry.sourceId(), entry.targetSystem(),
                                entry.targetId(), entry.runId())
                        .object(entry.inboxId()).text(entry.eventKey(), entry.versionHash(), diff, entry.detail(), entry.actor(), decisions));
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
                + " detail FROM audit_log WHERE entity = ? AND canonical_id = ? ORDER BY id DESC LIMIT ?",
                Sql.params().text(entity, canonicalId).integer(limit), rows -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                        entry.put(rows.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT), rows.getObject(i));
                    }
                    return entry;
                });
    }

    /**
     * Replaces entry {@code id}'s diff and detail (a privacy request's erasure: field names only,
     * the reason of the erasure), on the caller's connection; returns the rows changed.
     */
    public int erase(Connection connection, long id, String diff, String detail) throws SQLException {
        return Sql.update(connection, "UPDATE audit_log SET diff = ?, detail = ? WHERE id = ?", Sql.params().text(diff, detail).bigint(id));
    }
}
