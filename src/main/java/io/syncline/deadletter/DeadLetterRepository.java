package io.syncline.deadletter;

import io.agroal.api.AgroalDataSource;
import io.syncline.exchange.ExchangeContract;
import io.syncline.mapping.RecordRejectedException;
import io.syncline.sensitive.SensitiveValues;
import io.syncline.store.BySource;
import io.syncline.store.RecordReasons;
import io.syncline.store.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The dead-letter table: what failed for good, with the original payload and the reason.
 * Used by route configurations as {@code bean:DeadLetterRepository?method=store}.
 */
@ApplicationScoped
@Named("DeadLetterRepository")
public class DeadLetterRepository {

    private static final String INSERT = "INSERT INTO dead_letter (route_id, entity, source_system, payload, reason,"
            + " exception_type, attempts, inbox_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String FIND_BY_EVENT = "SELECT id FROM dead_letter WHERE inbox_id = ?";
    private static final String INSERT_ONCE = "INSERT INTO dead_letter (route_id, entity, source_system, payload, reason,"
            + " exception_type, once_key) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    @Inject
    AgroalDataSource dataSource;
    @Inject
    SensitiveValues sensitive;

    /** Stores the exchange's original payload with the exception that stopped it. */
    public void store(Exchange exchange) throws SQLException {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String entity = exchange.getProperty(ExchangeContract.ENTITY, String.class);
        String system = exchange.getProperty(ExchangeContract.SOURCE_SYSTEM, String.class);
        if (cause instanceof RecordRejectedException rejected) {
            entity = rejected.entity();
            system = rejected.system();
        }
        String payload = exchange.getProperty(ExchangeContract.ORIGINAL_PAYLOAD, "", String.class);
        // An inbox event is dead-lettered by the worker: name the apply route that failed (a
        // fan-out's failing target, as the inbox's FailedRoute recorded it), else the webhook
        // route that accepted it.
        String routeId = exchange.getProperty(ExchangeContract.FAILED_ROUTE,
                exchange.getProperty(ExchangeContract.SOURCE_ROUTE, exchange.getFromRouteId(), String.class), String.class);
        long id = insert(routeId, entity, system, payload,
                cause == null ? "unknown" : cause.getMessage(), cause == null ? "unknown" : cause.getClass().getName(),
                exchange.getProperty(ExchangeContract.INBOX_ATTEMPTS, 1, Integer.class),
                exchange.getProperty(ExchangeContract.INBOX_ID, Long.class));
        exchange.setProperty(ExchangeContract.DEAD_LETTER_ID, id);
    }

    /**
     * A failure of a route that did not take its work from the inbox (a reconciliation run): kept
     * with its cause for ops to see; it has no inbox event to replay.
     */
    public long storeFailure(String routeId, String entity, String system, String payload, Throwable cause) throws SQLException {
        return insert(routeId, entity, system, payload, String.valueOf(cause.getMessage()), cause.getClass().getName(), 1, null);
    }

    /**
     * Like {@link #storeFailure}, once: nothing when the route keeps a dead letter of the same system
     * with the same payload and reason (a part of a message that could not be read, its message
     * delivered again, or read by two consumers at the same moment). The digest of those four is
     * unique ({@code once_key}), so the database, not a look before the insert, keeps it once. The
     * digest is of the payload as given, before its sensitive fields are encrypted (an encryption
     * differs each time); of a payload with sensitive fields, of its keyed digest, so that no plain
     * digest of a sensitive value is kept.
     */
    public void storeOnce(String routeId, String entity, String system, String payload, Throwable cause) throws SQLException {
        String reason = String.valueOf(cause.getMessage());
        String onceKey = onceKey(routeId, system, sensitive.carries(entity, system) ? String.valueOf(sensitive.digest(payload))
                : payload, reason);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(INSERT_ONCE)) {
            Sql.params().text(routeId, entity, system, sensitive.encryptPayload(entity, system, payload), reason,
                    cause.getClass().getName(), onceKey).bind(statement);
            statement.executeUpdate();
        }
    }

    private static String onceKey(String... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                byte[] bytes = String.valueOf(part).getBytes(StandardCharsets.UTF_8);
                // each part's length first: ("ab", "c") and ("a", "bc") are different parts
                digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    long insert(String routeId, String entity, String system, String payload, String reason, String exceptionType,
            int attempts, Long inboxId) throws SQLException {
        // sensitive fields encrypted where they are found, an unreadable body whole (docs/privacy.md)
        payload = sensitive.encryptPayload(entity, system, payload);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(INSERT, new String[]{"id"})) {
            Sql.params().text(routeId, entity, system, payload, reason, exceptionType).integer(attempts).object(inboxId).bind(statement);
            if (statement.executeUpdate() == 0) {
                // the dead letter an earlier attempt at the same inbox event stored
                return Sql.one(connection, FIND_BY_EVENT, find -> find.setObject(1, inboxId), rows -> rows.getLong(1));
            }
            return Sql.key(statement);
        }
    }

    /**
     * The records of {@code entity} from system {@code a} or {@code b} whose event is a dead letter not yet replayed
     * or discarded: the id each has in the system that sent it (its inbox event's record key), to the
     * newest dead letter's id and reason.
     */
    public Map<String, String> rejectedRecords(String entity, String a, String b) throws SQLException {
        return RecordReasons.read(dataSource, "SELECT i.record_key, d.id, d.reason FROM dead_letter d JOIN inbox i"
                + " ON i.id = d.inbox_id WHERE d.status = 'new' AND d.entity = ? AND d.source_system IN (?, ?)"
                + " AND i.record_key IS NOT NULL ORDER BY d.id", entity, a, b, (id, reason) -> "dead letter " + id + ": " + reason);
    }

    /** Marks dead letter {@code id} replayed as inbox event {@code inboxId}, in the caller's transaction. */
    public void replayed(Connection connection, long id, long inboxId, String by) throws SQLException {
        Sql.update(connection, "UPDATE dead_letter SET status = 'replayed', replayed_inbox_id = ?, handled_by = ?,"
                + " handled_at = CURRENT_TIMESTAMP WHERE id = ?", Sql.params().bigint(inboxId).text(by).bigint(id));
    }

    /**
     * Marks dead letter {@code id} discarded, with who and why, if it is still {@code new}.
     *
     * @return false when it was not: no such letter, or handled before
     */
    public boolean discard(long id, String by, String reason) throws SQLException {
        return Sql.update(dataSource, "UPDATE dead_letter SET status = 'discarded', handled_by = ?,"
                + " handled_at = CURRENT_TIMESTAMP, discard_reason = ? WHERE id = ? AND status = 'new'", Sql.params().text(by, reason).bigint(id)) == 1;
    }

    /** Letters that first failed since {@code since}, per entity and source system. */
    public List<BySource<Long>> failedSince(Instant since) throws SQLException {
        return BySource.counts(dataSource, "FROM dead_letter WHERE first_failed_at >= ?", since);
    }

    /** Letters still new (neither replayed nor discarded), per entity and source system. */
    public List<BySource<Long>> newLetters() throws SQLException {
        return BySource.counts(dataSource, "FROM dead_letter WHERE status = 'new'");
    }

    /** The routes that have dead letters, by name. */
    public List<String> routeIds() throws SQLException {
        return Sql.list(dataSource, "SELECT DISTINCT route_id FROM dead_letter ORDER BY route_id", Sql.NONE,
                rows -> rows.getString(1));
    }

    /** The inbox events that the replays of user {@code by} since {@code since} put back. */
    public List<Long> replayedInboxIds(String by, Instant since) throws SQLException {
        return Sql.list(dataSource, "SELECT replayed_inbox_id FROM dead_letter WHERE handled_by = ? AND handled_at >= ?"
                + " AND replayed_inbox_id IS NOT NULL", Sql.params().text(by).timestamp(Timestamp.from(since)), rows -> rows.getLong(1));
    }

    /**
     * Replaces letter {@code id}'s payload with {@code mark} and its reason with {@code reason} (a
     * privacy request's erasure), on the caller's connection; a letter still {@code new} is
     * discarded by {@code by} for that reason. Returns the rows changed.
     */
    public int erase(Connection connection, long id, String mark, String reason, String by) throws SQLException {
        return Sql.update(connection, "UPDATE dead_letter SET payload = ?, reason = ?,"
                + " status = CASE WHEN status = 'new' THEN 'discarded' ELSE status END,"
                + " discard_reason = CASE WHEN status = 'new' THEN ? ELSE discard_reason END,"
                + " handled_by = CASE WHEN status = 'new' THEN ? ELSE handled_by END,"
                + " handled_at = CASE WHEN status = 'new' THEN CURRENT_TIMESTAMP ELSE handled_at END WHERE id = ?",
                Sql.params().text(mark, reason, reason, by).bigint(id));
    }
}
