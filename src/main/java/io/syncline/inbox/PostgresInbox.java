package io.syncline.inbox;

import io.agroal.api.AgroalDataSource;
import io.smallrye.common.annotation.Identifier;
import io.syncline.audit.AuditLog;
import io.syncline.metrics.SyncMetrics;
import io.syncline.store.HotTableStatistics;
import io.syncline.store.Sql;
import io.syncline.store.StoreTimeouts;
import io.syncline.store.Transactions;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.syncline.exchange.ExchangeContract.ORIGIN_NOTICE;
import static io.syncline.exchange.ExchangeContract.ORIGIN_WEBHOOK;

/**
 * The {@link Inbox} in the state store ({@code syncline.inbox.mode=postgresql}): a webhook's event
 * is committed as a row of the {@code inbox} table before the webhook answers, where the
 * dispatcher's workers claim it. Nothing of Kafka starts.
 */
@ApplicationScoped
@Identifier("postgresql")
public class PostgresInbox extends InboxRows {

    private static final String INSERT = "INSERT INTO inbox (route_id, apply_endpoint, entity, source_system, record_key,"
            + " event_id, payload) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    private final AgroalDataSource dataSource;
    private final AuditLog audit;
    private final SyncMetrics metrics;
    private final InboxArrivals arrivals;
    private final HotTableStatistics statistics;
    private final StoreTimeouts timeouts;

    public PostgresInbox(InboxRepository rows, StrandedClaims claims, AgroalDataSource dataSource, AuditLog audit,
            SyncMetrics metrics, InboxArrivals arrivals, HotTableStatistics statistics, StoreTimeouts timeouts) {
        super(rows, claims);
        this.dataSource = dataSource;
        this.audit = audit;
        this.metrics = metrics;
        this.arrivals = arrivals;
        this.statistics = statistics;
        this.timeouts = timeouts;
    }

    /**
     * Stores the event (its original payload) as an inbox row. An event id the source already
     * delivered is not stored again: the answer is the first delivery's inbox id, not stored.
     */
    @Override
    public Accepted accept(String routeId, String applyEndpoint, String entity, String system, Intake event)
            throws SQLException {
        long asked = System.nanoTime();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT, new String[]{"id"})) {
            // the sender waits for the answer: the whole wait stays within syncline.store.intake-timeout
            timeouts.forIntake(connection, Duration.ofNanos(System.nanoTime() - asked));
            Accepted accepted = store(connection, insert, routeId, applyEndpoint, entity, system, event);
            counted(routeId, List.of(accepted));
            return accepted;
        }
    }

    /**
     * Stores the events in one transaction, in their order: all of them, or none when any statement
     * fails (and a retry of a request that failed stores each one once). An event id delivered
     * before, in an earlier request or earlier in this one, is not stored again ({@link #accept}).
     */
    @Override
    public List<Accepted> acceptAll(String routeId, String applyEndpoint, String entity, String system,
            List<Intake> events) throws SQLException {
        long asked = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            timeouts.forIntake(connection, Duration.ofNanos(System.nanoTime() - asked));
            List<Accepted> accepted = Transactions.inTransaction(connection, begun -> {
                List<Accepted> stored = new ArrayList<>(events.size());
                try (PreparedStatement insert = begun.prepareStatement(INSERT, new String[]{"id"})) {
                    for (Intake event : events) {
                        stored.add(store(begun, insert, routeId, applyEndpoint, entity, system, event));
                    }
                }
                return stored;
            });
            counted(routeId, accepted);
            return accepted;
        }
    }

    private Accepted store(Connection connection, PreparedStatement insert, String routeId, String applyEndpoint,
            String entity, String system, Intake event) throws SQLException {
        insert.setString(1, routeId);
        insert.setString(2, applyEndpoint);
        insert.setString(3, entity);
        insert.setString(4, system);
        insert.setString(5, event.recordKey());
        insert.setString(6, event.eventId());
        insert.setString(7, event.payload());
        if (insert.executeUpdate() == 1) {
            return Accepted.row(Sql.key(insert), true);
        }
        return Accepted.row(InboxInserts.redelivered(audit, connection, entity, system, event.recordKey(), event.eventId()),
                false);
    }

    /** Counts what was committed, and wakes the dispatcher for what was stored. */
    private void counted(String routeId, List<Accepted> accepted) {
        boolean arrived = false;
        for (Accepted event : accepted) {
            metrics.event(routeId, event.stored() ? SyncMetrics.Outcome.RECEIVED : SyncMetrics.Outcome.DUPLICATE);
            if (event.stored()) {
                statistics.stored();
                arrived = true;
            }
        }
        if (arrived) {
            arrivals.arrived();
        }
    }

    /**
     * A new inbox row with the payload and destination of event {@code inboxId}; attempts start again
     * from zero. It carries no sender event id: the replay is deliberate, not a redelivery.
     */
    @Override
    public long requeue(Connection connection, long inboxId, String replay) throws SQLException {
        return Sql.insert(connection, "INSERT INTO inbox (route_id, apply_endpoint, entity,"
                + " source_system, record_key, payload, origin) SELECT route_id, apply_endpoint, entity, source_system,"
                + " record_key, payload, CASE WHEN origin = '" + ORIGIN_NOTICE + "' THEN origin ELSE '" + ORIGIN_WEBHOOK + "' END"
                + " FROM inbox WHERE id = ?", insert -> insert.setLong(1, inboxId));
    }
}
