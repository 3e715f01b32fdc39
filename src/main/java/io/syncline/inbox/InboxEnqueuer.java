package io.syncline.inbox;

import io.agroal.api.AgroalDataSource;
import io.syncline.exchange.ExchangeContract;
import io.syncline.sensitive.SensitiveValues;
import io.syncline.store.HotTableStatistics;
import io.syncline.store.Sql;
import io.syncline.store.Writes;
import io.syncline.sync.PushedEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static io.syncline.exchange.ExchangeContract.ORIGIN_WEBHOOK;

/**
 * Puts into the inbox the events no webhook delivered: a change poll's, a capture's, a backfill's,
 * a re-sync's, a reconciliation's auto-fix. They go straight into the inbox table, whichever
 * transport webhooks take ({@code syncline.inbox.mode}), and are applied like any other, in their
 * record's order.
 */
@ApplicationScoped
public class InboxEnqueuer implements PushedEvents {

    @Inject
    AgroalDataSource dataSource;
    @Inject
    InboxArrivals arrivals;
    @Inject
    HotTableStatistics statistics;
    @Inject
    SensitiveValues sensitive;

    /**
     * Enqueues an event Syncline makes itself (a reconciliation's auto-fix): the system's record
     * in its own shape, for {@code applyEndpoint}, so that it takes the same apply route, retries,
     * dead letters and audit as a webhook. {@code eventId} makes it idempotent: enqueuing the
     * same id again answers the first event's inbox id and stores nothing.
     */
    public long enqueueSynthetic(String entity, String system, String applyEndpoint, String routeId, String recordKey,
            String eventId, String payload) throws SQLException {
        return enqueue(routeId, applyEndpoint, entity, system, recordKey, eventId, payload, ORIGIN_WEBHOOK, null);
    }

    /**
     * Puts an event into the inbox that no webhook delivered (a re-sync of the master's values):
     * it is applied by {@code applyEndpoint} like any other, in its record's order.
     *
     * @param routeId the webhook route the event is counted under, as if it had come through it
     * @param eventId makes it idempotent: the same id again answers the first event's inbox id
     * @param requestedBy the user who asked for it (a re-sync), null for none
     * @return the inbox id
     */
    public long enqueue(String routeId, String applyEndpoint, String entity, String system, String recordKey,
            String eventId, String payload, String origin, String requestedBy) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO inbox (route_id, apply_endpoint, entity, source_system, record_key, event_id, payload, origin,"
                        + " requested_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                new String[]{"id"})) {
            InboxInserts.bindEvent(insert, routeId, applyEndpoint, entity, system, recordKey, eventId,
                    sensitive.encryptPayload(entity, system, payload), origin);
            insert.setString(9, requestedBy);
            if (insert.executeUpdate() == 1) {
                arrivals.arrived();
                statistics.stored();
                return Sql.key(insert);
            }
            // The same event id was enqueued before: its first event stands, nothing is stored twice.
            return InboxInserts.firstDelivery(connection, system, eventId);
        }
    }

    /**
     * Puts an event into the inbox with the caller's other writes, in its transaction (an apply unit
     * that pushes the master's new quantity on to the other systems): stored only if the unit
     * commits, and in the order of the units' commits.
     */
    @Override
    public void store(Writes writes, String routeId, String applyEndpoint, String entity, String system, String recordKey,
            String eventId, String payload, String origin) throws SQLException {
        writes.write("INSERT INTO inbox (route_id, apply_endpoint, entity, source_system, record_key, event_id, payload, origin)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                Sql.params().text(routeId, applyEndpoint, entity, system, recordKey, eventId,
                        sensitive.encryptPayload(entity, system, payload), origin));
    }

    @Override
    public void stored() {
        arrivals.arrived();
        statistics.stored();
    }

    /** An event for the inbox that no webhook delivered, as {@link #enqueueAll} takes it. */
    public record NewEvent(String routeId, String applyEndpoint, String entity, String system, String recordKey, String eventId,
            String payload) {
    }

    /**
     * Puts events into the inbox on the caller's connection, in its transaction (a change poll
     * stores its watermark in the same one), in order, as if their source's webhook had sent them.
     * An event id the inbox holds already is not stored twice. The workers are woken once the
     * caller has committed ({@link #arrived}).
     *
     * @return how many were new
     */
    public int enqueueAll(Connection connection, List<NewEvent> events) throws SQLException {
        return enqueueAll(connection, events, ORIGIN_WEBHOOK);
    }

    /** As {@link #enqueueAll(Connection, List)}, of the given origin ({@link ExchangeContract#ORIGIN_BACKFILL}). */
    public int enqueueAll(Connection connection, List<NewEvent> events, String origin) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO inbox (route_id, apply_endpoint, entity, source_system, record_key, event_id, payload, origin)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (NewEvent event : events) {
                InboxInserts.bindEvent(insert, event.routeId(), event.applyEndpoint(), event.entity(), event.system(),
                        event.recordKey(), event.eventId(), sensitive.encryptPayload(event.entity(), event.system(), event.payload()), origin);
                insert.addBatch();
            }
            int stored = 0;
            for (int rows : insert.executeBatch()) {
                stored += rows > 0 || rows == Statement.SUCCESS_NO_INFO ? 1 : 0;
            }
            return stored;
        }
    }

    /** Wakes the workers for {@code stored} events committed by {@link #enqueueAll}. */
    public void arrived(int stored) {
        for (int i = 0; i < stored; i++) {
            statistics.stored();
        }
        if (stored > 0) {
            arrivals.arrived();
        }
    }
}
