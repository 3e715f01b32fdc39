package io.syncline.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.agroal.api.AgroalDataSource;
import io.syncline.sensitive.SensitiveValues;
import io.syncline.store.CanonicalRef;
import io.syncline.store.Rows;
import io.syncline.store.Sql;
import io.syncline.store.Writes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Table {@code record_state}: one row per entity, canonical record and system. Read and written
 * on the caller's connection, inside the transaction that applies an event.
 */
@ApplicationScoped
public class RecordStateRepository {

    private static final String COLUMNS = "entity, canonical_id, system, system_id, source_system, source_id, version_hash,"
            + " source_timestamp, field_values, fingerprint, provenance, deleted, last_synced_at, sync_run_id,"
            + " overwritten_values, overwritten_modified_at, applied_from, quantities";
    private static final String FIND = "SELECT " + COLUMNS + " FROM record_state WHERE entity = ? AND canonical_id = ? AND system = ?";
    private static final String FIND_BOTH = "SELECT " + COLUMNS + " FROM record_state WHERE entity = ? AND canonical_id = ?"
            + " AND system IN (?, ?) ORDER BY system FOR UPDATE";
    private static final String SAVE = "MERGE INTO record_state t USING (VALUES (?, ?, ?, ?, ?, ?, ?,"
            // Typed: in a VALUES list an untyped NULL would be text, and text is no timestamp.
            + " CAST(? AS TIMESTAMP WITH TIME ZONE), ?, ?, ?, CAST(? AS BOOLEAN), CAST(? AS TIMESTAMP WITH TIME ZONE), ?,"
            + " ?, CAST(? AS TIMESTAMP WITH TIME ZONE), ?, ?))"
            + " AS s (" + COLUMNS + ") ON t.entity = s.entity AND t.canonical_id = s.canonical_id AND t.system = s.system"
            + " WHEN MATCHED THEN UPDATE SET system_id = s.system_id, source_system = s.source_system, source_id = s.source_id,"
            + " version_hash = s.version_hash, source_timestamp = s.source_timestamp, field_values = s.field_values,"
            + " fingerprint = s.fingerprint, provenance = s.provenance, deleted = s.deleted, last_synced_at = s.last_synced_at,"
            + " sync_run_id = s.sync_run_id, overwritten_values = s.overwritten_values,"
            + " overwritten_modified_at = s.overwritten_modified_at, applied_from = s.applied_from, quantities = s.quantities"
            + " WHEN NOT MATCHED THEN INSERT (" + COLUMNS + ") VALUES (s.entity, s.canonical_id, s.system, s.system_id,"
            + " s.source_system, s.source_id, s.version_hash, s.source_timestamp, s.field_values, s.fingerprint, s.provenance,"
            + " s.deleted, s.last_synced_at, s.sync_run_id, s.overwritten_values, s.overwritten_modified_at, s.applied_from,"
            + " s.quantities)";

    private static final TypeReference<Map<String, Object>> VALUES = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, RecordState.Provenance>> PROVENANCE = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, RecordState.AppliedVersion>> APPLIED = new TypeReference<>() {
    };

    private final ObjectMapper mapper;
    /** Readers of the JSON columns, their types resolved once rather than for every state read. */
    private final ObjectReader valuesReader;
    private final ObjectReader provenanceReader;
    private final ObjectReader appliedReader;
    private final ObjectReader quantitiesReader;

    /** Digests of the sensitive fields' values (null outside CDI: values kept as they are). */
    @Inject
    SensitiveValues sensitive;

    /** Reads for a person's search ({@link #withEmail}) take a connection of their own from here. */
    private final AgroalDataSource dataSource;

    @Inject
    public RecordStateRepository(ObjectMapper mapper, AgroalDataSource dataSource) {
        this.dataSource = dataSource;
        this.mapper = mapper;
        this.valuesReader = mapper.readerFor(VALUES);
        this.provenanceReader = mapper.readerFor(PROVENANCE);
        this.appliedReader = mapper.readerFor(APPLIED);
        this.quantitiesReader = mapper.readerFor(QuantityMarks.class);
    }

    /** Without a data source: only the methods that take a connection. */
    public RecordStateRepository(ObjectMapper mapper) {
        this(mapper, null);
    }

    /**
     * The records whose last synced values hold e-mail address {@code email} (field {@code email},
     * case ignored), at most {@code limit}. A scan of the values: for a person's search, not a loop.
     *
     * @param entity null for every entity
     */
    public List<CanonicalRef> withEmail(String entity, String email, int limit) throws SQLException {
        String needle = "%\"email\":\"" + likeEscaped(email.toLowerCase(java.util.Locale.ROOT)) + "\"%";
        return CanonicalRef.find(dataSource, "SELECT DISTINCT entity, canonical_id FROM record_state"
                + " WHERE lower(field_values) LIKE ? ESCAPE '!' AND (? IS NULL OR entity = ?) ORDER BY entity, canonical_id",
                limit, needle, entity, entity);
    }

    /**
     * The canonical ids of the records of {@code entity} whose last synced values name {@code id} in
     * reference field {@code field} (as its one id or in its list). A scan of the values narrowed by
     * a text match and then checked exactly: for an erasure's children, not a loop.
     */
    public Set<String> naming(String entity, String field, String id) throws SQLException {
        String needle = "%\"" + likeEscaped(field) + "\":%" + likeEscaped(id) + "%";
        Set<String> named = new TreeSet<>();
        for (Map.Entry<String, String> row : Sql.list(dataSource, "SELECT canonical_id, field_values FROM record_state"
                + " WHERE entity = ? AND field_values LIKE ? ESCAPE '!'", Sql.params().text(entity, needle),
                rows -> Map.entry(rows.getString(1), rows.getString(2)))) {
            Object value = readValues(row.getValue()).get(field);
            List<?> ids = value instanceof List<?> list ? list : value == null ? List.of() : List.of(value);
            if (ids.stream().anyMatch(named(id))) {
                named.add(row.getKey());
            }
        }
        return named;
    }

    /**
     * The canonical values a record was last synced with, in any system: what a child writing its
     * parent by the parent's external id reads that id from (docs/connectors/salesforce.md). Empty
     * for a record never synced, or deleted.
     */
    public Optional<Map<String, Object>> lastValues(String entity, String canonicalId) throws SQLException {
        List<String> values = Sql.list(dataSource, "SELECT field_values FROM record_state WHERE entity = ? AND canonical_id = ?"
                + " AND deleted = FALSE ORDER BY last_synced_at DESC", Sql.params().text(entity, canonicalId), rows -> rows.getString(1));
        return values.isEmpty() || values.get(0) == null ? Optional.empty() : Optional.of(readValues(values.get(0)));
    }

    /**
     * The last synced values of the live records of {@code entity} whose values hold any of
     * {@code texts} (case ignored), by canonical id: a scan narrowed by a text match, for a caller
     * that then checks each candidate exactly (a reference read as its parent's external id).
     */
    public Map<String, Map<String, Object>> lastValuesHolding(String entity, Collection<String> texts) throws SQLException {
        Map<String, Map<String, Object>> found = new HashMap<>();
        List<String> all = List.copyOf(texts);
        for (int from = 0; from < all.size(); from += HOLDING_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + HOLDING_CHUNK));
            Sql.Params params = Sql.params().text(entity);
            StringBuilder sql = new StringBuilder("SELECT canonical_id, field_values FROM record_state WHERE entity = ?"
                    + " AND deleted = FALSE AND (");
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "" : " OR ").append("lower(field_values) LIKE ? ESCAPE '!'");
                params.text("%" + likeEscaped(chunk.get(i).toLowerCase(java.util.Locale.ROOT)) + "%");
            }
            sql.append(") ORDER BY last_synced_at DESC");
            for (Map.Entry<String, String> row : Sql.list(dataSource, sql.toString(), params,
                    rows -> Map.entry(rows.getString(1), rows.getString(2)))) {
                if (row.getValue() != null && !found.containsKey(row.getKey())) {
                    found.put(row.getKey(), readValues(row.getValue()));
                }
            }
        }
        return found;
    }

    private static final int HOLDING_CHUNK = 100;

    private static Predicate<Object> named(String id) {
        return value -> value != null && id.equals(value.toString());
    }

    private Map<String, Object> readValues(String json) throws SQLException {
        try {
            return valuesReader.readValue(json);
        } catch (IOException e) {
            throw new SQLException("record_state.field_values is not a JSON object: " + e.getMessage(), e);
        }
    }

    private static String likeEscaped(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_").replace("\"", "\\\"");
    }

    /** A live record's key in one system, with the modification time of its last change Syncline synced. */
    @FunctionalInterface
    public interface KeyHandler {

        void handle(String systemId, Instant sourceTimestamp) throws Exception;
    }

    /**
     * Streams the keys that the entity's records have in {@code system} and that are not deleted
     * there (no tombstone): the records Syncline knows the system holds, for a key diff. In no
     * order, a thousand rows at a time, on a connection of its own, so that a table of millions
     * never sits in memory.
     */
    public void liveKeys(String entity, String system, KeyHandler handler) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            // PostgreSQL streams with a cursor only inside a transaction.
            connection.setAutoCommit(false);
            try (PreparedStatement select = connection.prepareStatement("SELECT system_id, source_timestamp FROM record_state"
                    + " WHERE entity = ? AND system = ? AND deleted = FALSE AND system_id IS NOT NULL")) {
                select.setString(1, entity);
                select.setString(2, system);
                select.setFetchSize(1000);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        Timestamp at = rows.getTimestamp(2);
                        handler.handle(rows.getString(1), at == null ? null : at.toInstant());
                    }
                }
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        }
    }

    /** The record's state for {@code system}; {@code lock} holds the row until the transaction ends. */
    public Optional<RecordState> find(Connection connection, String entity, String canonicalId, String system, boolean lock)
            throws SQLException {
        return Sql.optional(connection, lock ? FIND + " FOR UPDATE" : FIND, Sql.params().text(entity, canonicalId, system), rows -> read(rows));
    }

    /** The record's state in every system Syncline synced it with, by system name. */
    public List<RecordState> findAll(Connection connection, String entity, String canonicalId) throws SQLException {
        try (PreparedStatement find = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM record_state WHERE entity = ? AND canonical_id = ? ORDER BY system")) {
            find.setString(1, entity);
            find.setString(2, canonicalId);
            return Rows.list(find, this::read);
        }
    }

    /**
     * The record's states for two systems (the same one twice is fine), both locked until the
     * transaction ends, in one round trip. Rows are locked in system-name order, so that events
     * crossing between two systems cannot deadlock. Absent rows lock nothing.
     */
    public Map<String, RecordState> lockBoth(Connection connection, String entity, String canonicalId, String system,
            String other) throws SQLException {
        try (PreparedStatement find = connection.prepareStatement(FIND_BOTH)) {
            find.setString(1, entity);
            find.setString(2, canonicalId);
            find.setString(3, system);
            find.setString(4, other);
            Map<String, RecordState> found = new java.util.HashMap<>();
            try (ResultSet rows = find.executeQuery()) {
                while (rows.next()) {
                    RecordState state = read(rows);
                    found.put(state.system(), state);
                }
            }
            return found;
        }
    }

    /**
     * The states of several records of an entity, every system's, locked until the transaction
     * ends, in one round trip: by canonical id, then system name. Rows are locked in the order
     * of (canonical id, system), the order {@link #lockBoth} keeps within one record, so that
     * lockers of several records cannot deadlock on each other. A record without states maps to
     * an empty map.
     */
    public Map<String, Map<String, RecordState>> lockAll(Connection connection, String entity, Collection<String> canonicalIds)
            throws SQLException {
        Map<String, Map<String, RecordState>> found = new HashMap<>();
        canonicalIds.forEach(id -> found.put(id, new HashMap<>()));
        if (canonicalIds.isEmpty()) {
            return found;
        }
        String in = String.join(", ", Collections.nCopies(canonicalIds.size(), "?"));
        try (PreparedStatement find = connection.prepareStatement("SELECT " + COLUMNS + " FROM record_state WHERE entity = ?"
                + " AND canonical_id IN (" + in + ") ORDER BY canonical_id, system FOR UPDATE")) {
            find.setString(1, entity);
            int index = 2;
            for (String canonicalId : canonicalIds) {
                find.setString(index++, canonicalId);
            }
            try (ResultSet rows = find.executeQuery()) {
                while (rows.next()) {
                    RecordState state = read(rows);
                    found.get(state.canonicalId()).put(state.system(), state);
                }
            }
        }
        return found;
    }

    /** Upserts the states, in one round trip when there are several. */
    public void save(Connection connection, RecordState... states) throws SQLException {
        save(Writes.immediate(connection), states);
    }

    /** Upserts the states through the transaction's writes (sent with the rest of a batch's, when deferred). */
    public void save(Writes writes, RecordState... states) throws SQLException {
        Writes.Row[] rows = new Writes.Row[states.length];
        for (int i = 0; i < states.length; i++) {
            RecordState state = states[i];
            rows[i] = row(state);
        }
        writes.write(SAVE, rows);
    }

    private Sql.Params row(RecordState state) throws SQLException {
        return Sql.params()
                .text(state.entity(), state.canonicalId(), state.system(), state.systemId(), state.sourceSystem(), state.sourceId(),
                        state.versionHash())
                .timestamp(state.sourceTimestamp() == null ? null : Timestamp.from(state.sourceTimestamp()))
                .text(json(sealed(state.entity(), state.fieldValues())), state.fingerprint(), json(state.provenance()))
                .bool(state.deleted())
                .timestamp(Timestamp.from(state.lastSyncedAt()))
                .text(state.syncRunId(), json(sealed(state.entity(), state.overwrittenValues())))
                .timestamp(state.overwrittenModifiedAt() == null ? null : Timestamp.from(state.overwrittenModifiedAt()))
                .text(json(state.appliedFrom()))
                .text(state.quantities().isEmpty() ? null : json(state.quantities()));
    }

    /** The values with each sensitive field's a digest (docs/privacy.md, "Sensitive fields"). */
    private Map<String, Object> sealed(String entity, Map<String, Object> values) {
        return sensitive == null ? values : sensitive.seal(entity, values);
    }

    private RecordState read(ResultSet rows) throws SQLException {
        Timestamp sourceTimestamp = rows.getTimestamp(8);
        Timestamp overwrittenModifiedAt = rows.getTimestamp(16);
        String overwritten = rows.getString(15);
        String applied = rows.getString(17);
        String quantities = rows.getString(18);
        try {
            return new RecordState(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                    rows.getString(5), rows.getString(6), rows.getString(7),
                    sourceTimestamp == null ? null : sourceTimestamp.toInstant(),
                    valuesReader.readValue(rows.getString(9)), rows.getString(10),
                    provenanceReader.readValue(rows.getString(11)), rows.getBoolean(12),
                    rows.getTimestamp(13).toInstant(), rows.getString(14),
                    overwritten == null ? null : valuesReader.readValue(overwritten),
                    overwrittenModifiedAt == null ? null : overwrittenModifiedAt.toInstant(),
                    applied == null ? null : appliedReader.readValue(applied),
                    quantities == null ? null : quantitiesReader.readValue(quantities));
        } catch (JsonProcessingException e) {
            throw new SQLException("record_state of " + rows.getString(1) + " " + rows.getString(2) + " is not valid JSON", e);
        }
    }

    private String json(Object value) throws SQLException {
        return Sql.json(mapper, value, "Cannot store record state as JSON");
    }

    /** Deletes the record state of a canonical record in one system (a privacy request's erasure); returns the rows deleted. */
    public int delete(Connection connection, String entity, String canonicalId, String system) throws SQLException {
        return Sql.update(connection, "DELETE FROM record_state WHERE entity = ? AND canonical_id = ? AND system = ?",
                Sql.params().text(entity, canonicalId, system));
    }
}
