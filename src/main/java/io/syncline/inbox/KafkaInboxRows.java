package io.syncline.inbox;

import io.agroal.api.AgroalDataSource;
import io.syncline.audit.AuditLog;
import io.syncline.metrics.SyncMetrics;
import io.syncline.store.HotTableStatistics;
import io.syncline.store.Sql;
import io.syncline.store.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.syncline.exchange.ExchangeContract.ORIGIN_NOTICE;
import static io.syncline.exchange.ExchangeContract.ORIGIN_WEBHOOK;

/**
 * The inbox topic's events as rows of the {@code inbox} table ({@code syncline.inbox.mode=kafka}):
 * taken in by the topic's consumer ({@link KafkaInboxSteps}), and a replay parked for the topic
 * until the consumer reads it back ({@link KafkaInbox#requeue}).
 */
@ApplicationScoped
public class KafkaInboxRows {

    /** Due date of a replayed event parked for the inbox topic's consumer ({@link #requeueForTopic}): never, for the dispatcher. */
    static final Timestamp PARKED = Timestamp.from(Instant.parse("9999-01-01T00:00:00Z"));

    @Inject
    AgroalDataSource dataSource;
    @Inject
    AuditLog audit;
    @Inject
    SyncMetrics metrics;
    @Inject
    InboxArrivals arrivals;
    @Inject
    HotTableStatistics statistics;
    private final Clock clock = Clock.systemUTC();

    /**
     * Events read from the inbox topic ({@code syncline.inbox.mode=kafka}, one poll of one consumer,
     * in the topic's order), written as inbox rows in one transaction so that they take the inbox's
     * apply path, retries, dead letters and audit: each claimed at once for the consumer that read
     * it (processing, first attempt, leased until {@code until}), unless an earlier event of its
     * record is unfinished (a retry waiting, a re-sync, or one earlier in this poll), in which case
     * it is left pending behind it for the dispatcher, in its record's order. An event id the inbox
     * holds already (a redelivery from the topic after a consumer stopped before committing its
     * offset, or the sender's own redelivery) is not written again: that row is where the event
     * is, done or still the dispatcher's.
     *
     * @return the events to apply now, in the topic's order; the others are the dispatcher's
     */
    public List<InboxEvent> takeAll(List<KafkaInboxEnvelope> events, Instant until) throws SQLException {
        List<Optional<InboxEvent>> taken = Transactions.inTransaction(dataSource, connection -> {
            List<Optional<InboxEvent>> rows = new ArrayList<>(events.size());
            for (KafkaInboxEnvelope event : events) {
                rows.add(take(connection, event, until));
            }
            return rows;
        });
        List<InboxEvent> claimed = new ArrayList<>(taken.size());
        boolean arrived = false;
        for (int i = 0; i < taken.size(); i++) {
            Optional<InboxEvent> row = taken.get(i);
            if (row == null) {
                metrics.event(events.get(i).routeId(), SyncMetrics.Outcome.DUPLICATE);
                continue;
            }
            metrics.event(events.get(i).routeId(), SyncMetrics.Outcome.RECEIVED);
            statistics.stored();
            row.ifPresent(claimed::add);
            arrived |= row.isEmpty();
        }
        if (arrived) {
            arrivals.arrived();
        }
        return claimed;
    }

    /** One event of {@link #takeAll}: claimed, empty when left pending for the dispatcher, null when the inbox had it. */
    private Optional<InboxEvent> take(Connection connection, KafkaInboxEnvelope event, Instant until) throws SQLException {
        String origin = event.origin() == null ? ORIGIN_WEBHOOK : event.origin();
        boolean behind = false;
        if (event.recordKey() != null) {
            try (PreparedStatement earlier = connection.prepareStatement("SELECT 1 FROM inbox WHERE source_system = ?"
                    + " AND entity = ? AND record_key = ? AND status IN ('pending', 'processing')"
                    + " AND (event_id IS NULL OR event_id <> ?) LIMIT 1")) {
                earlier.setString(1, event.system());
                earlier.setString(2, event.entity());
                earlier.setString(3, event.recordKey());
                earlier.setString(4, event.eventId());
                try (ResultSet rows = earlier.executeQuery()) {
                    behind = rows.next();
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO inbox (route_id, apply_endpoint, entity,"
                + " source_system, record_key, event_id, payload, origin, status, attempts, claimed_until)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", new String[]{"id"})) {
            InboxInserts.bindEvent(insert, event.routeId(), event.applyEndpoint(), event.entity(), event.system(), event.recordKey(),
                    event.eventId(), event.payload(), origin);
            insert.setString(9, behind ? "pending" : "processing");
            insert.setInt(10, behind ? 0 : 1);
            insert.setTimestamp(11, behind ? null : Timestamp.from(until));
            if (insert.executeUpdate() == 0) {
                Optional<InboxEvent> parked = takeParked(connection, event.system(), event.eventId(), behind, until);
                if (parked != null) {
                    return parked;
                }
                // the sender's redelivery, or the topic's after a consumer stopped before its offset's commit
                InboxInserts.redelivered(audit, connection, event.entity(), event.system(), event.recordKey(), event.eventId());
                return null;
            }
            long id = Sql.key(insert);
            return behind ? Optional.empty() : Optional.of(new InboxEvent(id, event.routeId(), event.applyEndpoint(),
                    event.entity(), event.system(), event.payload(), 1, event.eventId(), origin, event.recordKey()));
        }
    }

    /**
     * The row a replay put in for the topic ({@link #requeueForTopic}), now read back from it:
     * claimed for the consumer, or (behind an earlier event of its record) made due for the
     * dispatcher. Null when event {@code eventId} is no parked replay (a redelivery).
     */
    private Optional<InboxEvent> takeParked(Connection connection, String system, String eventId, boolean behind,
            Instant until) throws SQLException {
        if (Sql.update(connection, behind
                ? "UPDATE inbox SET next_attempt_at = ? WHERE source_system = ? AND event_id = ? AND status = 'pending'"
                        + " AND next_attempt_at >= ?"
                : "UPDATE inbox SET next_attempt_at = ?, status = 'processing', attempts = attempts + 1, claimed_until = ?"
                        + " WHERE source_system = ? AND event_id = ? AND status = 'pending' AND next_attempt_at >= ?",
                update -> {
                    int index = 1;
                    update.setTimestamp(index++, Timestamp.from(clock.instant()));
                    if (!behind) {
                        update.setTimestamp(index++, Timestamp.from(until));
                    }
                    update.setString(index++, system);
                    update.setString(index++, eventId);
                    update.setTimestamp(index, PARKED);
                }) == 0) {
            return null;
        }
        if (behind) {
            return Optional.empty();
        }
        return Sql.one(connection, "SELECT id, route_id, apply_endpoint, entity,"
                + " source_system, payload, attempts, event_id, origin, record_key FROM inbox WHERE source_system = ?"
                + " AND event_id = ?", Sql.params().text(system, eventId),
                rows -> Optional.of(new InboxEvent(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getString(5), rows.getString(6), rows.getInt(7), rows.getString(8), rows.getString(9),
                        rows.getString(10))));
    }

    /**
     * As {@link PostgresInbox#requeue}, for the inbox in Kafka ({@code syncline.inbox.mode=kafka}): the new event
     * carries event id {@code eventId} and waits, parked (pending, due only at {@link #PARKED}, so
     * that the dispatcher leaves it), until the consumer reads it back from the topic, where the
     * caller sends it, and takes it ({@link #take}).
     *
     * @return the new event as it goes to the topic, and its inbox id
     */
    public Map.Entry<Long, KafkaInboxEnvelope> requeueForTopic(Connection connection, long inboxId, String eventId)
            throws SQLException {
        long id;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO inbox (route_id, apply_endpoint, entity,"
                + " source_system, record_key, payload, origin, event_id, next_attempt_at) SELECT route_id, apply_endpoint,"
                + " entity, source_system, record_key, payload, CASE WHEN origin = '" + ORIGIN_NOTICE + "' THEN origin ELSE '"
                + ORIGIN_WEBHOOK + "' END, ?, ? FROM inbox WHERE id = ?", new String[]{"id"})) {
            insert.setString(1, eventId);
            insert.setTimestamp(2, PARKED);
            insert.setLong(3, inboxId);
            insert.executeUpdate();
            id = Sql.key(insert);
        }
        return Sql.one(connection, "SELECT route_id, apply_endpoint, entity, source_system,"
                + " record_key, event_id, payload, origin FROM inbox WHERE id = ?", select -> select.setLong(1, id),
                rows -> Map.entry(id, new KafkaInboxEnvelope(rows.getString(1), rows.getString(2), rows.getString(3),
                        rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8))));
    }
}
