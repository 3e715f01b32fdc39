package io.syncline.deadletter;

import io.agroal.api.AgroalDataSource;
import io.syncline.exchange.ExchangeContract;
import io.syncline.inbox.FailedRoute;
import io.syncline.mapping.RecordRejectedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

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

    private final AgroalDataSource dataSource;

    public DeadLetterRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

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
        // fan-out's failing target), else the webhook route that accepted it.
        String routeId = FailedRoute.of(exchange,
                exchange.getProperty(ExchangeContract.SOURCE_ROUTE, exchange.getFromRouteId(), String.class));
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

    /** Marks dead letter {@code id} replayed as inbox event {@code inboxId}, in the caller's transaction. */
    public void replayed(Connection connection, long id, long inboxId, String by) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE dead_letter SET status = 'replayed', replayed_inbox_id = ?, handled_by = ?, handled_at = CURRENT_TIMESTAMP"
                        + " WHERE id = ?")) {
            update.setLong(1, inboxId);
            update.setString(2, by);
            update.setLong(3, id);
            update.executeUpdate();
        }
    }

    /**
     * Marks dead letter {@code id} discarded, with who and why, if it is still {@code new}.
     *
     * @return false when it was not: no such letter, or handled before
     */
    public boolean discard(long id, String by, String reason) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE dead_letter SET status = 'discarded', handled_by = ?, handled_at = CURRENT_TIMESTAMP, discard_reason = ?"
                        + " WHERE id = ? AND status = 'new'")) {
            update.setString(1, by);
            update.setString(2, reason);
            update.setLong(3, id);
            return update.executeUpdate() == 1;
        }
    }
}
