package io.syncline.privacy.request;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.syncline.store.Rows;
import io.syncline.store.Sql;
import io.syncline.store.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Tables {@code privacy_request} and {@code privacy_request_part}. */
@ApplicationScoped
public class PrivacyRequestStore {

    private static final TypeReference<List<String>> LIST = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final TypeReference<LinkedHashMap<String, Integer>> COUNTS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Map<String, Integer>>> CHILDREN = new TypeReference<>() {
    };
    private static final String PART_COLUMNS =
            "request_id, entity, system, id_digest, system_id, mode, status, attempts, next_attempt_at, last_error, done_at";

    @Inject
    AgroalDataSource store;
    @Inject
    ObjectMapper json;

    /** A part to be: a system's record of the entity, its digest and how it is erased (or read). */
    public record NewPart(String entity, String system, String systemId, String idDigest, String mode) {
    }

    /** A part with the request it belongs to, for the erasure route; {@code entity} is the part's record's. */
    public record DuePart(long requestId, String entity, PrivacyRequest.Part part) {
    }

    public long insert(Connection connection, String kind, String entity, String status, Collection<String> digests,
            String requestedBy, List<NewPart> parts, Map<String, Map<String, Integer>> children) throws SQLException, IOException {
        long id = Sql.insert(connection, "INSERT INTO privacy_request (kind, entity, status, digests, requested_by, children)"
                + " VALUES (?, ?, ?, ?, ?, ?)",
                Sql.params().text(kind, entity, status, json.writeValueAsString(List.copyOf(digests)),
                        requestedBy, children.isEmpty() ? null : json.writeValueAsString(children)));
        Sql.batch(connection, "INSERT INTO privacy_request_part (request_id, entity, system,"
                + " id_digest, system_id, mode, status) VALUES (?, ?, ?, ?, ?, ?, ?)", parts,
                (insert, part) -> Sql.params().bigint(id)
                        .text(part.entity(), part.system(), part.idDigest(), part.systemId(), part.mode(),
                                "read".equals(part.mode()) ? "done" : "planned")
                        .bind(insert));
        return id;
    }

    public Optional<PrivacyRequest> find(long id) throws SQLException, IOException {
        try (Connection connection = store.getConnection()) {
            List<PrivacyRequest> found = select(connection, "SELECT * FROM privacy_request WHERE id = ?", id);
            return found.stream().findFirst();
        }
    }

    /** Newest first. */
    public List<PrivacyRequest> list(int limit) throws SQLException, IOException {
        try (Connection connection = store.getConnection()) {
            return select(connection, "SELECT * FROM privacy_request ORDER BY id DESC LIMIT " + Math.max(1, Math.min(limit, 500)));
        }
    }

    /** The digests of the person's identifiers the request holds. */
    public List<String> digests(Connection connection, long id) throws SQLException, IOException {
        try (PreparedStatement select = connection.prepareStatement("SELECT digests FROM privacy_request WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? json.readValue(rows.getString(1), LIST) : List.of();
            }
        }
    }

    /** Moves the request from {@code from} to {@code to}; false when it was not in {@code from}. */
    public boolean transition(Connection connection, long id, String from, String to, String by) throws SQLException {
        String set = switch (to) {
            case "erasing" -> ", confirmed_by = ?, confirmed_at = ?";
            case "completed", "failed", "cancelled" -> ", completed_at = ?";
            default -> "";
        };
        return Sql.update(connection, "UPDATE privacy_request SET status = ?" + set + " WHERE id = ? AND status = ?", update -> {
            int index = 1;
            update.setString(index++, to);
            if (to.equals("erasing")) {
                update.setString(index++, by);
            }
            if (!set.isEmpty()) {
                update.setTimestamp(index++, Timestamp.from(Instant.now()));
            }
            update.setLong(index++, id);
            update.setString(index, from);
        }) == 1;
    }

    /** Moves the request's parts in {@code from} to {@code to}, due at {@code due}. */
    public void parts(Connection connection, long id, String from, String to, Instant due) throws SQLException {
        Sql.update(connection, "UPDATE privacy_request_part SET status = CASE"
                + " WHEN mode = 'manual' THEN 'manual' ELSE ? END, next_attempt_at = ?,"
                + " system_id = CASE WHEN ? = 'cancelled' THEN NULL ELSE system_id END WHERE request_id = ? AND status = ?",
                Sql.params().text(to).timestamp(due == null ? null : Timestamp.from(due)).text(to).bigint(id).text(from));
    }

    /**
     * Adds one scrub's rows changed per table to the request's: the erasure scrubs on confirmation
     * and again when it completes, and the request reports what both changed.
     */
    public void addScrubbed(long id, Map<String, Integer> counts) throws SQLException {
        Transactions.inTransaction(store, connection -> {
            Map<String, Integer> total = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT scrubbed FROM privacy_request WHERE id = ? FOR UPDATE")) {
                select.setLong(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next() && rows.getString(1) != null) {
                        total.putAll(fromJson(rows.getString(1), COUNTS));
                    }
                }
            }
            counts.forEach((table, count) -> total.merge(table, count, Integer::sum));
            return Sql.update(connection, "UPDATE privacy_request SET scrubbed = ? WHERE id = ?", Sql.params().text(toJson(total)).bigint(id));
        });
    }

    /** Adds the children an erasure detached to those it erased, per entity. */
    public void addChildren(long id, Map<String, Map<String, Integer>> counts) throws SQLException {
        Transactions.inTransaction(store, connection -> {
            Map<String, Map<String, Integer>> total = new TreeMap<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT children FROM privacy_request WHERE id = ? FOR UPDATE")) {
                select.setLong(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next() && rows.getString(1) != null) {
                        total.putAll(fromJson(rows.getString(1), CHILDREN));
                    }
                }
            }
            counts.forEach((entity, byOutcome) -> byOutcome.forEach((outcome, count) -> total
                    .computeIfAbsent(entity, key -> new TreeMap<>()).merge(outcome, count, Integer::sum)));
            return Sql.update(connection, "UPDATE privacy_request SET children = ? WHERE id = ?", Sql.params().text(toJson(total)).bigint(id));
        });
    }

    private <T> T fromJson(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parts of confirmed erasures due now, oldest request first. */
    public List<DuePart> due(int limit) throws SQLException {
        List<DuePart> due = new ArrayList<>();
        try (Connection connection = store.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT r.entity AS request_entity, p." + PART_COLUMNS.replace(", ", ", p.") + " FROM privacy_request_part p JOIN privacy_request r"
                        + " ON r.id = p.request_id WHERE p.status = 'pending' AND p.next_attempt_at <= ? AND r.status = 'erasing'"
                        + " ORDER BY p.request_id, p.system LIMIT " + limit)) {
            select.setTimestamp(1, Timestamp.from(Instant.now()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    PrivacyRequest.Part part = part(rows, rows.getString("request_entity"));
                    due.add(new DuePart(rows.getLong("request_id"), part.entity(), part));
                }
            }
        }
        return due;
    }

    /**
     * Takes a due part for one attempt: it is not due again before {@code lease} ends, so that
     * another replica leaves it alone; false when another took it first.
     */
    public boolean claim(long requestId, PrivacyRequest.Part part, Instant leaseEnd) throws SQLException {
        return Sql.update(store, "UPDATE privacy_request_part SET attempts = attempts + 1, next_attempt_at = ? WHERE request_id = ? AND system = ?"
                + " AND id_digest = ? AND status = 'pending' AND next_attempt_at <= ?",
                Sql.params().timestamp(Timestamp.from(leaseEnd)).bigint(requestId).text(part.system(), part.idDigest())
                        .timestamp(Timestamp.from(Instant.now())))
                == 1;
    }

    /** The part's outcome: {@code done}, {@code failed}, or {@code pending} again at {@code due}. */
    public void outcome(Connection connection, long requestId, PrivacyRequest.Part part, String status, Instant due, String error)
            throws SQLException {
        Sql.update(connection, "UPDATE privacy_request_part SET status = ?, next_attempt_at = ?,"
                + " last_error = ?, done_at = ? WHERE request_id = ? AND system = ? AND id_digest = ?",
                Sql.params().text(status).timestamp(due == null ? null : Timestamp.from(due)).text(error)
                        .timestamp("done".equals(status) ? Timestamp.from(Instant.now()) : null).bigint(requestId).text(part.system(), part.idDigest()));
    }

    /** Erasures whose parts are all done, failed or manual: ready to finish. */
    public List<Long> settled() throws SQLException {
        return Sql.list(store, "SELECT r.id FROM privacy_request r WHERE r.status = 'erasing' AND NOT EXISTS"
                + " (SELECT 1 FROM privacy_request_part p WHERE p.request_id = r.id AND p.status IN ('pending', 'planned'))"
                + " ORDER BY r.id", Sql.NONE, rows -> rows.getLong(1));
    }

    /** Forgets the record ids other requests hold of an erased person (an earlier access request's, say). */
    public void forgetIds(Connection connection, long erasure, Collection<String> digests) throws SQLException {
        Sql.batch(connection, "UPDATE privacy_request_part SET system_id = NULL WHERE id_digest = ? AND request_id <> ?", digests, (update, digest) -> {
            update.setString(1, digest);
            update.setLong(2, erasure);
        });
    }

    /** A completed erasure keeps its records' digests, no longer their ids. */
    public void forgetOwnIds(Connection connection, long id) throws SQLException {
        Sql.update(connection, "UPDATE privacy_request_part SET system_id = NULL WHERE request_id = ?", update -> update.setLong(1, id));
    }

    private List<PrivacyRequest> select(Connection connection, String sql, Object... parameters) throws SQLException, IOException {
        List<PrivacyRequest> requests = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    long id = rows.getLong("id");
                    String scrubbed = rows.getString("scrubbed");
                    String children = rows.getString("children");
                    String entity = rows.getString("entity");
                    requests.add(new PrivacyRequest(id, rows.getString("kind"), entity, rows.getString("status"),
                            json.readValue(rows.getString("digests"), LIST).size(), rows.getString("requested_by"),
                            instant(rows, "requested_at"), rows.getString("confirmed_by"), instant(rows, "confirmed_at"),
                            instant(rows, "completed_at"), scrubbed == null ? null : json.readValue(scrubbed, MAP),
                            children == null ? Map.of() : json.readValue(children, CHILDREN), partsOf(connection, id, entity)));
                }
            }
        }
        return requests;
    }

    private List<PrivacyRequest.Part> partsOf(Connection connection, long id, String entity) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + PART_COLUMNS + " FROM privacy_request_part WHERE request_id = ? ORDER BY system, id_digest")) {
            select.setLong(1, id);
            return Rows.list(select, rows -> part(rows, entity));
        }
    }

    /** @param requestEntity the entity of a part stored before parts named their own */
    private static PrivacyRequest.Part part(ResultSet rows, String requestEntity) throws SQLException {
        String entity = rows.getString("entity");
        return new PrivacyRequest.Part(entity == null ? requestEntity : entity, rows.getString("system"), rows.getString("system_id"),
                rows.getString("id_digest"),
                rows.getString("mode"), rows.getString("status"), rows.getInt("attempts"), instant(rows, "next_attempt_at"),
                rows.getString("last_error"), instant(rows, "done_at"));
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        Timestamp at = rows.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }
}
