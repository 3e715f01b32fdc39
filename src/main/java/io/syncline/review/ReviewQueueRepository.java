package io.syncline.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.syncline.audit.AuditEntry;
import io.syncline.audit.AuditLog;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.sensitive.SensitiveValues;
import io.syncline.store.BySource;
import io.syncline.store.RecordReasons;
import io.syncline.store.Sql;
import io.syncline.store.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The review queue's store (table {@code review_item}): its SQL, taking plain values. Items are
 * records held by a required-field policy, ambiguous matches, conflicts a strategy sent to review
 * and reconciliation differences, each with the record, the reasons, the target and what sent it
 * there (both values per field for a conflict). The route step that holds a failed event's record
 * is {@link ReviewQueueSteps}'; what people do with an item (list, show, resolve, discard) reads
 * and closes it here. Closing is always {@code UPDATE … WHERE status = 'open'}: of two people
 * acting on one item at once, the database lets exactly one through.
 */
@ApplicationScoped
@Named("ReviewQueueRepository")
public class ReviewQueueRepository {

    public enum Kind {
        held_record, ambiguous_match, conflict, reconciliation, held_by_rule
    }

    /**
     * A filter of the list; null fields do not filter. {@code status} {@code all} lists every status.
     * {@code offset} items of the order are left out before the {@code limit} listed (a page).
     */
    public record Filter(String entity, String system, String status, String kind, Duration minAge, int limit, int offset) {

        public Filter(String entity, String system, String status, String kind, Duration minAge, int limit) {
            this(entity, system, status, kind, minAge, limit, 0);
        }
    }

    private static final String INSERT = "INSERT INTO review_item (kind, entity, source_system, source_id, reason, payload,"
            + " inbox_id, target_system, canonical_id, strategy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String COLUMNS = "id, kind, entity, canonical_id, source_system, source_id, target_system, reason,"
            + " strategy, status, created_at, resolved_by, resolved_at, last_error, last_attempt_at, inbox_id";
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    @Inject
    AgroalDataSource dataSource;
    @Inject
    AuditLog audit;
    @Inject
    ObjectMapper mapper;
    @Inject
    SensitiveValues sensitive;
    private final Clock clock = Clock.systemUTC();

    /** A record for a person, why, what helps decide (the candidates, the conflicts), and what sent it here. */
    public record Item(Kind kind, CanonicalRecord record, String reason, Map<String, Object> context, Long inboxId,
            String targetSystem, String strategy) {
    }

    /** Queues the item; its id. */
    public long add(Item item) throws SQLException, JsonProcessingException {
        CanonicalRecord record = item.record();
        // a sensitive field's value is kept as its digest (docs/privacy.md, "Sensitive fields")
        String payload = mapper.writeValueAsString(Map.of("fields", sensitive.sealNested(record.entity(), record.fields()),
                "versionHash", record.versionHash(), "context", sensitive.sealNested(record.entity(), item.context())));
        return Sql.insert(dataSource, INSERT,
                Sql.params().text(item.kind().name(), record.entity(), record.sourceSystem(), record.sourceId(), item.reason(), payload).object(item.inboxId())
                        .text(item.targetSystem(), record.canonicalId(), item.strategy()));
    }

    /** Oldest first: the queue's head is what has waited longest. */
    public List<ReviewItem> list(Filter filter) throws SQLException {
        String status = "all".equals(filter.status()) ? null : filter.status();
        String sql = "SELECT " + COLUMNS + " FROM review_item WHERE (? IS NULL OR entity = ?)"
                + " AND (? IS NULL OR source_system = ? OR target_system = ?) AND (? IS NULL OR status = ?)"
                + " AND (? IS NULL OR kind = ?) AND created_at <= ? ORDER BY created_at, id LIMIT ? OFFSET ?";
        return Sql.list(dataSource, sql, select -> {
            int i = 1;
            i = bindTwice(select, i, filter.entity(), 2);
            i = bindTwice(select, i, filter.system(), 3);
            i = bindTwice(select, i, status, 2);
            i = bindTwice(select, i, filter.kind(), 2);
            Duration minAge = filter.minAge() == null ? Duration.ZERO : filter.minAge();
            select.setTimestamp(i++, Timestamp.from(clock.instant().minus(minAge)));
            select.setInt(i++, filter.limit());
            select.setInt(i, filter.offset());
        }, this::read);
    }

    private static int bindTwice(PreparedStatement statement, int index, String value, int times) throws SQLException {
        for (int n = 0; n < times; n++) {
            statement.setString(index++, value);
        }
        return index;
    }

    public Optional<ReviewItem> find(long id) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, id);
        }
    }

    /** The item's stored record and context ({@code fields}, {@code versionHash}, {@code context}). */
    public Map<String, Object> payload(long id) throws SQLException {
        return jsonColumn("SELECT payload FROM review_item WHERE id = ?", id);
    }

    /** The resolution recorded on a closed item, or empty. */
    public Map<String, Object> resolution(long id) throws SQLException {
        return jsonColumn("SELECT resolution FROM review_item WHERE id = ?", id);
    }

    private Map<String, Object> jsonColumn(String sql, long id) throws SQLException {
        String text = Sql.optional(dataSource, sql, select -> select.setLong(1, id), rows -> rows.getString(1)).orElse(null);
        return text != null ? json(text) : Map.of();
    }

    /** How many items are open: waiting for a person. */
    public long countOpen() throws SQLException {
        return Sql.count(dataSource, "SELECT count(*) FROM review_item WHERE status = 'open'", Sql.NONE);
    }

    /** How many open items were created before {@code createdBefore}. */
    public long countOpenCreatedBefore(Instant createdBefore) throws SQLException {
        return Sql.count(dataSource, "SELECT count(*) FROM review_item WHERE status = 'open' AND created_at < ?",
                select -> select.setTimestamp(1, Timestamp.from(createdBefore)));
    }

    /** The oldest open items created before {@code createdBefore}, at most {@code limit}. */
    public List<OverdueReviewItems.Overdue> oldestOpenCreatedBefore(Instant createdBefore, int limit) throws SQLException {
        return Sql.list(dataSource, "SELECT id, kind, entity, source_system, source_id, target_system, created_at"
                + " FROM review_item WHERE status = 'open' AND created_at < ? ORDER BY created_at, id LIMIT ?",
                Sql.params().timestamp(Timestamp.from(createdBefore)).integer(limit),
                rows -> new OverdueReviewItems.Overdue(rows.getLong(1), rows.getString(2), rows.getString(3),
                        rows.getString(4), rows.getString(5), rows.getString(6),
                        Duration.between(rows.getTimestamp(7).toInstant(), clock.instant())));
    }

    /**
     * Open items about one record: by its canonical id, or (held before it had one) by its id in
     * the system that sent it.
     */
    public List<ReviewItem> openFor(String entity, String canonicalId, Map<String, String> systemIds) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM review_item WHERE entity = ? AND status = 'open'"
                + " AND (canonical_id = ?");
        systemIds.forEach((system, id) -> sql.append(" OR (source_system = ? AND source_id = ?)"));
        sql.append(") ORDER BY id");
        return Sql.list(dataSource, sql.toString(), select -> {
            int i = 1;
            select.setString(i++, entity);
            select.setString(i++, canonicalId);
            for (Map.Entry<String, String> id : systemIds.entrySet()) {
                select.setString(i++, id.getKey());
                select.setString(i++, id.getValue());
            }
        }, this::read);
    }

    /**
     * The records of {@code entity} from system {@code a} or {@code b} the real-time path holds for review (a held
     * record, an ambiguous match, a conflict; not a reconciliation's quarantine): the id each has in
     * the system that sent it, to the newest item's id and reason.
     */
    public Map<String, String> heldRecords(String entity, String a, String b) throws SQLException {
        return RecordReasons.read(dataSource, "SELECT source_id, id, reason FROM review_item WHERE entity = ?"
                + " AND source_system IN (?, ?) AND status = 'open' AND kind IN ('held_record', 'ambiguous_match', 'conflict')"
                + " AND source_id IS NOT NULL ORDER BY id", entity, a, b,
                (id, reason) -> "held for review (item " + id + "): " + reason);
    }

    /** Open items, per entity and source system. */
    public List<BySource<Long>> openItems() throws SQLException {
        return BySource.counts(dataSource, "FROM review_item WHERE status = 'open'");
    }

    /** Other open items about the same record (each direction of a two-way sync holds its own). */
    public List<ReviewItem> related(ReviewItem item) throws SQLException {
        if (item.canonicalId() == null) {
            return List.of();
        }
        return Sql.list(dataSource, "SELECT " + COLUMNS + " FROM review_item WHERE entity = ? AND canonical_id = ?"
                + " AND status = 'open' AND id <> ? ORDER BY id", Sql.params().text(item.entity(), item.canonicalId()).bigint(item.id()), this::read);
    }

    /**
     * The open conflict items of the other direction of a two-way sync about the same record
     * (each direction's webhook found the other side changed, so each holds its own item).
     */
    public List<ReviewItem> otherDirection(ReviewItem item) throws SQLException {
        String conflict = ReviewQueueRepository.Kind.conflict.name();
        if (!conflict.equals(item.kind())) {
            return List.of();
        }
        return related(item).stream().filter(other -> conflict.equals(other.kind())
                && item.targetSystem().equals(other.sourceSystem()) && item.sourceSystem().equals(other.targetSystem())).toList();
    }

    /**
     * Closes an open item as resolved, on the caller's connection (the transaction that writes
     * the resolution), and with it those of {@code related} still open (the other direction of
     * a two-way conflict, whose events the resolver writes next with the same decisions),
     * recorded as resolved by the same person with {@code {"resolvedWith": <id>}} until their
     * own write records their decisions ({@link #confirmResolvedWith}). Closing them here keeps
     * anyone else from resolving them differently meanwhile. Exactly one of concurrent callers
     * updates a row; the others wait for its lock and then find it closed. The rows are locked
     * in id order, so that resolutions of both directions at once cannot deadlock.
     *
     * @return the ids of the related items closed with it
     * @throws ReviewItemClosedException the item is no longer open (or does not exist)
     */
    public List<Long> claimResolved(Connection connection, ReviewItem item, String resolvedBy, Object resolution,
            List<Long> related) throws SQLException {
        lock(connection, item.id(), related);
        Timestamp now = Timestamp.from(clock.instant());
        if (close(connection, item.id(), resolvedBy, now, toJson(resolution)) != 1) {
            throw closed(connection, item.id());
        }
        List<Long> closed = new ArrayList<>();
        for (long id : related) {
            if (close(connection, id, resolvedBy, now, toJson(Map.of("resolvedWith", item.id()))) == 1) {
                closed.add(id);
            }
        }
        return closed;
    }

    /** Locks the item and the related ones, in id order. */
    private static void lock(Connection connection, long id, List<Long> related) throws SQLException {
        List<Long> ids = new ArrayList<>(related);
        ids.add(id);
        ids.sort(null);
        try (PreparedStatement lock = connection.prepareStatement("SELECT id FROM review_item WHERE id = ? FOR UPDATE")) {
            for (long each : ids) {
                lock.setLong(1, each);
                lock.executeQuery().close();
            }
        }
    }

    /**
     * Records the decisions of an item closed with another ({@link #claimResolved}) on the
     * caller's connection, the transaction that writes them: it commits with the write, or the
     * item is reopened ({@link #reopen}).
     *
     * @throws ReviewItemClosedException the item is not (or no longer) closed with {@code resolvedWith}
     */
    public void confirmResolvedWith(Connection connection, long id, long resolvedWith, Map<String, Object> resolution)
            throws SQLException {
        Map<String, Object> recorded = new LinkedHashMap<>(resolution);
        recorded.put("resolvedWith", resolvedWith);
        if (Sql.update(connection, "UPDATE review_item SET resolution = ?, last_attempt_at = ?"
                + " WHERE id = ? AND status = 'resolved' AND resolution = ?",
                Sql.params().text(toJson(recorded)).timestamp(Timestamp.from(clock.instant())).bigint(id).text(toJson(Map.of("resolvedWith", resolvedWith))))
                != 1) {
            throw new ReviewItemClosedException("Review item " + id + " is no longer waiting for the write of"
                    + " review item " + resolvedWith + "'s decisions", false);
        }
    }

    /**
     * The write of an item closed with another failed: it is open again, with the error, for a
     * person to resolve (or discard) like any other.
     */
    public void reopen(long id, long resolvedWith, String error) throws SQLException {
        Sql.update(dataSource, "UPDATE review_item SET status = 'open', resolved_by = NULL, resolved_at = NULL,"
                + " resolution = NULL, last_error = ?, last_attempt_at = ? WHERE id = ? AND status = 'resolved' AND resolution = ?",
                Sql.params().text(error).timestamp(Timestamp.from(clock.instant())).bigint(id).text(toJson(Map.of("resolvedWith", resolvedWith))));
    }

    private static int close(Connection connection, long id, String resolvedBy, Timestamp at, String resolution)
            throws SQLException {
        return Sql.update(connection, "UPDATE review_item SET status = 'resolved', resolved_by = ?, resolved_at = ?,"
                + " resolution = ?, last_error = NULL, last_attempt_at = ? WHERE id = ? AND status = 'open'",
                Sql.params().text(resolvedBy).timestamp(at).text(resolution).timestamp(at).bigint(id));
    }

    /** A resolution attempt failed: the item stays open, with the error for the next person to see. */
    public void recordError(long id, String error) throws SQLException {
        Sql.update(dataSource, "UPDATE review_item SET last_error = ?, last_attempt_at = ? WHERE id = ? AND status = 'open'",
                Sql.params().text(error).timestamp(Timestamp.from(clock.instant())).bigint(id));
    }

    /**
     * Discards an open item, audited with who did it; nothing is written to any system.
     *
     * @throws ReviewItemClosedException the item is no longer open (or does not exist)
     */
    public ReviewItem discard(long id, String discardedBy, String reason) throws SQLException {
        return Transactions.inTransaction(dataSource, connection -> {
            if (Sql.update(connection, "UPDATE review_item SET status = 'discarded', resolved_by = ?, resolved_at = ?,"
                    + " resolution = ? WHERE id = ? AND status = 'open'", update -> {
                        update.setString(1, discardedBy);
                        update.setTimestamp(2, Timestamp.from(clock.instant()));
                        update.setString(3, toJson(reason == null ? Map.of() : Map.of("reason", reason)));
                        update.setLong(4, id);
                    }) != 1) {
                throw closed(connection, id);
            }
            ReviewItem item = find(connection, id).orElseThrow();
            audit.record(connection, new AuditEntry(AuditEntry.Action.DISCARDED, item.entity(), item.canonicalId(),
                    item.sourceSystem(), item.sourceId(), item.targetSystem(), null, "review-" + id, item.inboxId(), null,
                    null, null, "review item " + id + " (" + item.kind() + ") discarded" + (reason == null ? "" : ": " + reason),
                    discardedBy));
            return item;
        });
    }

    /**
     * Erases an item's values for privacy request {@code requestId} on the caller's connection
     * (the erasure's scrub, docs/privacy.md): the payload becomes {@code mark}, the reason
     * {@code reason}, the resolution and last error go. An open item is discarded by the request,
     * since nothing of it is left to act on.
     *
     * @return the rows changed (0 when the item is gone)
     */
    public int erase(Connection connection, long id, long requestId, String mark, String reason) throws SQLException {
        return Sql.update(connection, "UPDATE review_item SET payload = ?, reason = ?, resolution = NULL, last_error = NULL,"
                + " status = CASE WHEN status = 'open' THEN 'discarded' ELSE status END,"
                + " resolved_by = CASE WHEN status = 'open' THEN ? ELSE resolved_by END,"
                + " resolved_at = CASE WHEN status = 'open' THEN ? ELSE resolved_at END WHERE id = ?",
                Sql.params().text(mark, reason, "privacy request " + requestId).timestamp(Timestamp.from(clock.instant())).bigint(id));
    }

    private ReviewItemClosedException closed(Connection connection, long id) throws SQLException {
        Optional<ReviewItem> item = find(connection, id);
        if (item.isEmpty()) {
            return new ReviewItemClosedException("No review item " + id, true);
        }
        ReviewItem closed = item.get();
        return new ReviewItemClosedException("Review item " + id + " is already " + closed.status()
                + (closed.resolvedBy() == null ? "" : " (by " + closed.resolvedBy() + " at " + closed.resolvedAt() + ")"), false);
    }

    private Optional<ReviewItem> find(Connection connection, long id) throws SQLException {
        return Sql.optional(connection, "SELECT " + COLUMNS + " FROM review_item WHERE id = ?", select -> select.setLong(1, id),
                this::read);
    }

    private ReviewItem read(ResultSet rows) throws SQLException {
        OffsetDateTime created = rows.getObject("created_at", OffsetDateTime.class);
        OffsetDateTime resolved = rows.getObject("resolved_at", OffsetDateTime.class);
        Instant until = resolved != null ? resolved.toInstant() : clock.instant();
        return new ReviewItem(rows.getLong("id"), rows.getString("kind"), rows.getString("entity"),
                rows.getString("canonical_id"), rows.getString("source_system"), rows.getString("source_id"),
                rows.getString("target_system"), rows.getString("reason"), rows.getString("strategy"),
                rows.getString("status"), created, Math.max(0, Duration.between(created.toInstant(), until).toSeconds()),
                rows.getString("resolved_by"), resolved, rows.getString("last_error"),
                rows.getObject("last_attempt_at", OffsetDateTime.class), rows.getObject("inbox_id", Long.class));
    }

    private Map<String, Object> json(String text) throws SQLException {
        try {
            return mapper.readValue(text, OBJECT);
        } catch (JsonProcessingException e) {
            throw new SQLException("A review item holds invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private String toJson(Object value) throws SQLException {
        return Sql.json(mapper, value, "Cannot store the resolution as JSON");
    }
}
