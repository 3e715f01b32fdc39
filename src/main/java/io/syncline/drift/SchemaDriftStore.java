package io.syncline.drift;

import io.agroal.api.AgroalDataSource;
import io.syncline.store.Sql;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code schema_field} and {@code schema_drift} tables: the JSON type each needed field of a
 * mapping's source was last seen with, and each field's drift (docs/real-time.md#schema-drift).
 * Statements in SQL the embedded H2 store speaks too (no {@code ON CONFLICT}); written only when a
 * field is first seen, when it drifts and when an admin decides, never for each event.
 */
@ApplicationScoped
public class SchemaDriftStore {

    private static final String COLUMNS = "SELECT id, entity, source_system, field, path, change, was_type, now_type, status,"
            + " detected_at, renamed_to, resolved_by, resolved_at FROM schema_drift";

    private final AgroalDataSource dataSource;

    public SchemaDriftStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The JSON type {@code field} was seen with in {@code system}'s payloads of {@code entity}; empty when it is not known. */
    public Optional<String> knownType(String entity, String system, String field) throws SQLException {
        return Sql.optional(dataSource, "SELECT value_type FROM schema_field WHERE entity = ? AND source_system = ? AND field = ?",
                Sql.params().text(entity, system, field), rows -> rows.getString(1));
    }

    /** Remembers that the field arrives with values of {@code type}, unless a type is known already (a replica was first). */
    public void remember(String entity, String system, String field, String type, Instant at) throws SQLException {
        Sql.update(dataSource, "INSERT INTO schema_field (entity, source_system, field, value_type, seen_at) SELECT ?, ?, ?, ?, ?"
                + " WHERE NOT EXISTS (SELECT 1 FROM schema_field WHERE entity = ? AND source_system = ? AND field = ?)",
                Sql.params().text(entity, system, field, type).timestamp(Timestamp.from(at)).text(entity, system, field));
    }

    /**
     * Opens the field's drift, pausing its mapping: a new row, or the field's earlier drift reopened.
     * Nothing changes where it is paused already (another event, or another replica, was first).
     */
    public void open(String entity, String system, String field, String path, String change, String wasType, String nowType,
            Instant at) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            int reopened = Sql.update(connection, "UPDATE schema_drift SET status = 'paused', path = ?, change = ?, was_type = ?,"
                    + " now_type = ?, detected_at = ?, renamed_to = NULL, resolved_by = NULL, resolved_at = NULL"
                    + " WHERE entity = ? AND source_system = ? AND field = ? AND status <> 'paused'",
                    Sql.params().text(path, change, wasType, nowType).timestamp(Timestamp.from(at)).text(entity, system, field));
            if (reopened == 0) {
                try {
                    Sql.update(connection, "INSERT INTO schema_drift (entity, source_system, field, path, change, was_type, now_type,"
                            + " status, detected_at) SELECT ?, ?, ?, ?, ?, ?, ?, 'paused', ? WHERE NOT EXISTS (SELECT 1 FROM schema_drift"
                            + " WHERE entity = ? AND source_system = ? AND field = ?)",
                            Sql.params().text(entity, system, field, path, change, wasType, nowType).timestamp(Timestamp.from(at))
                                    .text(entity, system, field));
                } catch (SQLException e) {
                    if (knownDrift(connection, entity, system, field)) {
                        return; // a replica opened it between the two statements
                    }
                    throw e;
                }
            }
        }
    }

    private static boolean knownDrift(Connection connection, String entity, String system, String field) throws SQLException {
        return Sql.count(connection, "SELECT count(*) FROM schema_drift WHERE entity = ? AND source_system = ? AND field = ?",
                Sql.params().text(entity, system, field)) > 0;
    }

    /** Every drift, the paused first, then the newest. */
    public List<FieldDrift> list() throws SQLException {
        return Sql.list(dataSource, COLUMNS + " ORDER BY CASE WHEN status = 'paused' THEN 0 ELSE 1 END, detected_at DESC, id DESC",
                Sql.NONE, SchemaDriftStore::drift);
    }

    /** The drifts in force: paused ones, which hold their mapping, and accepted renames, which the transformer applies. */
    public List<FieldDrift> inForce() throws SQLException {
        return Sql.list(dataSource, COLUMNS + " WHERE status IN ('paused', 'renamed') ORDER BY id", Sql.NONE, SchemaDriftStore::drift);
    }

    public Optional<FieldDrift> find(long id) throws SQLException {
        return Sql.optional(dataSource, COLUMNS + " WHERE id = ?", Sql.params().bigint(id), SchemaDriftStore::drift);
    }

    /** Whether a drift still pauses the mapping of {@code entity} from {@code system}. */
    public boolean paused(String entity, String system) throws SQLException {
        return Sql.count(dataSource, "SELECT count(*) FROM schema_drift WHERE entity = ? AND source_system = ? AND status = 'paused'",
                Sql.params().text(entity, system)) > 0;
    }

    /** Mappings paused by a drift now: {@code syncline_mappings_paused}. */
    public long pausedMappings() throws SQLException {
        return Sql.count(dataSource, "SELECT count(*) FROM (SELECT DISTINCT entity, source_system FROM schema_drift"
                + " WHERE status = 'paused') m", Sql.NONE);
    }

    /**
     * Ends a paused drift as {@code status} ({@code renamed} to {@code renamedTo}, or {@code resumed}),
     * decided by {@code user}; a field resumed is forgotten, so that its absence (or its new type)
     * is what the source sends from now on. False where the drift is no longer paused: someone decided first.
     */
    public boolean resolve(long id, String status, String renamedTo, String user, Instant at) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Optional<FieldDrift> drift = Sql.optional(connection, COLUMNS + " WHERE id = ? FOR UPDATE", Sql.params().bigint(id),
                        SchemaDriftStore::drift);
                if (drift.isEmpty() || !drift.get().paused()) {
                    connection.rollback();
                    return false;
                }
                Sql.update(connection, "UPDATE schema_drift SET status = ?, renamed_to = ?, resolved_by = ?, resolved_at = ? WHERE id = ?",
                        Sql.params().text(status, renamedTo, user).timestamp(Timestamp.from(at)).bigint(id));
                if (FieldDrift.RESUMED.equals(status)) {
                    Sql.update(connection, "DELETE FROM schema_field WHERE entity = ? AND source_system = ? AND field = ?",
                            Sql.params().text(drift.get().entity(), drift.get().system(), drift.get().field()));
                }
                connection.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static FieldDrift drift(ResultSet rows) throws SQLException {
        return new FieldDrift(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                rows.getString(6), rows.getString(7), rows.getString(8), rows.getString(9), instant(rows.getTimestamp(10)),
                rows.getString(11), rows.getString(12), instant(rows.getTimestamp(13)));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
