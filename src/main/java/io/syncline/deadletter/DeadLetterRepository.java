package io.syncline.deadletter;

import io.agroal.api.AgroalDataSource;
import io.syncline.inbox.InboxRepository;
import io.syncline.mapping.RecordRejectedException;
import io.syncline.store.BySource;
import io.syncline.webhook.JsonPayloadParser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The dead-letter table: what failed for good, with the original payload and the reason.
 * Used by route configurations as {@code bean:DeadLetterRepository?method=store}.
 */
@ApplicationScoped
@Named("DeadLetterRepository")
public class DeadLetterRepository {

    /** Exchange property carrying the id of the dead letter just stored. */
    public static final String DEAD_LETTER_ID = "SynclineDeadLetterId";

    private static final String INSERT = "INSERT INTO dead_letter (route_id, entity, source_system, payload, reason,"
            + " exception_type, attempts, inbox_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    private static final String FIND_BY_EVENT = "SELECT id FROM dead_letter WHERE inbox_id = ?";

    private final AgroalDataSource dataSource;

    public DeadLetterRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores the exchange's original payload with the exception that stopped it. */
    public void store(Exchange exchange) throws SQLException {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String entity = exchange.getProperty(InboxRepository.ENTITY, String.class);
        String system = exchange.getProperty(InboxRepository.SOURCE_SYSTEM, String.class);
        if (cause instanceof RecordRejectedException rejected) {
            entity = rejected.entity();
            system = rejected.system();
        }
        String payload = exchange.getProperty(JsonPayloadParser.ORIGINAL_PAYLOAD, "", String.class);
        // An inbox event is dead-lettered by the worker; name the webhook route that accepted it.
        String routeId = exchange.getProperty(InboxRepository.SOURCE_ROUTE, exchange.getFromRouteId(), String.class);
        long id = insert(routeId, entity, system, payload,
                cause == null ? "unknown" : cause.getMessage(), cause == null ? "unknown" : cause.getClass().getName(),
                exchange.getProperty(InboxRepository.ATTEMPTS, 1, Integer.class),
                exchange.getProperty(InboxRepository.INBOX_ID, Long.class));
        exchange.setProperty(DEAD_LETTER_ID, id);
    }

    /**
     * A failure of a route that did not take its work from the inbox (a reconciliation run): kept
     * with its cause for ops to see; it has no inbox event to replay.
     */
    public long storeFailure(String routeId, String entity, String system, String payload, Throwable cause) throws SQLException {
        return insert(routeId, entity, system, payload, String.valueOf(cause.getMessage()), cause.getClass().getName(), 1, null);
    }

    long insert(String routeId, String entity, String system, String payload, String reason, String exceptionType,
                int attempts, Long inboxId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(INSERT, new String[] {"id"})) {
            statement.setString(1, routeId);
            statement.setString(2, entity);
            statement.setString(3, system);
            statement.setString(4, payload);
            statement.setString(5, reason);
            statement.setString(6, exceptionType);
            statement.setInt(7, attempts);
            statement.setObject(8, inboxId);
            if (statement.executeUpdate() == 0) {
                return deadLetterOf(connection, inboxId);
            }
            try (ResultSet keys = statement.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** The dead letter an earlier attempt at the same inbox event stored. */
    private static long deadLetterOf(Connection connection, Long inboxId) throws SQLException {
        try (PreparedStatement find = connection.prepareStatement(FIND_BY_EVENT)) {
            find.setObject(1, inboxId);
            try (ResultSet rows = find.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Letters that first failed since {@code since}, per entity and source system. */
    public List<BySource<Long>> failedSince(Instant since) throws SQLException {
        return BySource.counts(dataSource, "SELECT entity, source_system, count(*) FROM dead_letter WHERE first_failed_at >= ?"
                + " GROUP BY entity, source_system", since);
    }

    /** Letters still new (neither replayed nor discarded), per entity and source system. */
    public List<BySource<Long>> newLetters() throws SQLException {
        return BySource.counts(dataSource, "SELECT entity, source_system, count(*) FROM dead_letter WHERE status = 'new'"
                + " GROUP BY entity, source_system");
    }

    /** The routes that have dead letters, by name. */
    public List<String> routeIds() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT DISTINCT route_id FROM dead_letter ORDER BY route_id");
             ResultSet rows = select.executeQuery()) {
            List<String> routes = new ArrayList<>();
            while (rows.next()) {
                routes.add(rows.getString(1));
            }
            return routes;
        }
    }

    /** The inbox events that the replays of user {@code by} since {@code since} put back. */
    public List<Long> replayedInboxIds(String by, Instant since) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT replayed_inbox_id FROM dead_letter WHERE handled_by = ? AND handled_at >= ?"
                        + " AND replayed_inbox_id IS NOT NULL")) {
            select.setString(1, by);
            select.setTimestamp(2, Timestamp.from(since));
            List<Long> ids = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            return ids;
        }
    }
}
