package io.syncline.inbox;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.audit.AuditLog;
import io.syncline.exchange.ExchangeContract;
import io.syncline.metrics.SyncMetrics;
import io.syncline.store.HotTableStatistics;
import io.syncline.store.StoreTimeouts;
import io.syncline.store.Transactions;
import io.syncline.store.Writes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

import static io.syncline.exchange.ExchangeContract.ORIGIN_NOTICE;
import static io.syncline.exchange.ExchangeContract.ORIGIN_WEBHOOK;

/**
 * The durable inbox's store (table {@code inbox}): its SQL, taking plain values. The route steps
 * that take the exchange ({@code accept}, {@code claim}, {@code handBack}, {@code complete}) are
 * {@link InboxSteps}'. {@link #accept} commits an event before the webhook answers 202;
 * {@link #claimBatch} hands due events to a worker under a lease, so that a worker that dies
 * mid-event leaves it to be claimed again once the lease runs out.
 */
@ApplicationScoped
@Named("InboxRepository")
@RegisterForReflection
public class InboxRepository {

    /** A refused event's payload: what it carried is not kept (docs/privacy.md). */
    public static final String REFUSED_PAYLOAD = "{\"retained\":\"erased\"}";

    private static final String INSERT = "INSERT INTO inbox (route_id, apply_endpoint, entity, source_system, record_key,"
            + " event_id, payload) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    /** A MERGE rather than an UPDATE: a batch's events are marked done by one statement ({@link Writes}). */
    private static final String FINISH = "MERGE INTO inbox t USING (VALUES (?, ?, CAST(? AS TIMESTAMP WITH TIME ZONE),"
            + " CAST(? AS BIGINT))) AS f (status, last_error, finished_at, id) ON t.id = f.id"
            + " WHEN MATCHED THEN UPDATE SET status = f.status, last_error = f.last_error, finished_at = f.finished_at,"
            + " claimed_until = NULL";
    /** Due date of a replayed event parked for the inbox topic's consumer ({@link #requeueForTopic}): never, for the dispatcher. */
    static final Timestamp PARKED = Timestamp.from(Instant.parse("9999-01-01T00:00:00Z"));

    private final AgroalDataSource dataSource;
    private final AuditLog audit;
    private final SyncMetrics metrics;
    private final InboxArrivals arrivals;
    private final HotTableStatistics statistics;
    private final StoreTimeouts timeouts;
    private final Clock clock = Clock.systemUTC();

    public InboxRepository(AgroalDataSource dataSource, AuditLog audit, SyncMetrics metrics,
                           InboxArrivals arrivals, HotTableStatistics statistics, StoreTimeouts timeouts) {
        this.dataSource = dataSource;
        this.timeouts = timeouts;
        this.statistics = statistics;
        this.arrivals = arrivals;
        this.audit = audit;
        this.metrics = metrics;
    }

    /** What {@link #accept} did: stored the event as inbox event {@code id}, or found it stored before as {@code id}. */
    public record Accepted(long id, boolean stored) {
    }

    /**
     * Stores a webhook's event (its original payload) for {@code applyEndpoint}, received by route
     * {@code routeId} ({@link InboxSteps#accept}). An event id the source already delivered is not
     * stored again: the answer is the first delivery's inbox id, not stored.
     */
    public Accepted accept(String routeId, String applyEndpoint, String entity, String system, String recordKey,
                           String eventId, String payload) throws SQLException {
        long asked = System.nanoTime();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(INSERT, new String[] {"id"})) {
            // the sender waits for the answer: the whole wait stays within syncline.store.intake-timeout
            timeouts.forIntake(connection, Duration.ofNanos(System.nanoTime() - asked));
            Accepted accepted = store(connection, insert, routeId, applyEndpoint, entity, system,
                    new Intake(recordKey, eventId, payload));
            counted(routeId, List.of(accepted));
            return accepted;
        }
    }

    /** One event of a webhook request that carries several: its record's id, the sender's event id, the record. */
    public record Intake(String recordKey, String eventId, String payload) {
    }

    /**
     * Stores the events of one webhook request in one transaction, in their order: all of them, or
     * none when any statement fails, so that the sender's 2xx always means every event is stored
     * (and a retry of a request that failed stores each one once). An event id delivered before,
     * in an earlier request or earlier in this one, is not stored again ({@link #accept}).
     */
    public List<Accepted> acceptAll(String routeId, String applyEndpoint, String entity, String system,
                                    List<Intake> events) throws SQLException {
        long asked = System.nanoTime();
        try (Connection connection = dataSource.getConnection()) {
            timeouts.forIntake(connection, Duration.ofNanos(System.nanoTime() - asked));
            connection.setAutoCommit(false);
            List<Accepted> accepted = new ArrayList<>(events.size());
            try (PreparedStatement insert = connection.prepareStatement(INSERT, new String[] {"id"})) {
                for (Intake event : events) {
                    accepted.add(store(connection, insert, routeId, applyEndpoint, entity, system, event));
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
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
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return new Accepted(keys.getLong(1), true);
            }
        }
        return new Accepted(InboxInserts.redelivered(audit, connection, entity, system, event.recordKey(), event.eventId()), false);
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
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", new String[] {"id"})) {
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
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                long id = keys.getLong(1);
                return behind ? Optional.empty() : Optional.of(new InboxEvent(id, event.routeId(), event.applyEndpoint(),
                        event.entity(), event.system(), event.payload(), 1, event.eventId(), origin, event.recordKey()));
            }
        }
    }

    /**
     * The row a replay put in for the topic ({@link #requeueForTopic}), now read back from it:
     * claimed for the consumer, or (behind an earlier event of its record) made due for the
     * dispatcher. Null when event {@code eventId} is no parked replay (a redelivery).
     */
    private Optional<InboxEvent> takeParked(Connection connection, String system, String eventId, boolean behind,
                                            Instant until) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(behind
                ? "UPDATE inbox SET next_attempt_at = ? WHERE source_system = ? AND event_id = ? AND status = 'pending'"
                        + " AND next_attempt_at >= ?"
                : "UPDATE inbox SET next_attempt_at = ?, status = 'processing', attempts = attempts + 1, claimed_until = ?"
                        + " WHERE source_system = ? AND event_id = ? AND status = 'pending' AND next_attempt_at >= ?")) {
            int index = 1;
            update.setTimestamp(index++, Timestamp.from(clock.instant()));
            if (!behind) {
                update.setTimestamp(index++, Timestamp.from(until));
            }
            update.setString(index++, system);
            update.setString(index++, eventId);
            update.setTimestamp(index, PARKED);
            if (update.executeUpdate() == 0) {
                return null;
            }
        }
        if (behind) {
            return Optional.empty();
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT id, route_id, apply_endpoint, entity,"
                + " source_system, payload, attempts, event_id, origin, record_key FROM inbox WHERE source_system = ?"
                + " AND event_id = ?")) {
            select.setString(1, system);
            select.setString(2, eventId);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return Optional.of(new InboxEvent(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getString(5), rows.getString(6), rows.getInt(7), rows.getString(8), rows.getString(9),
                        rows.getString(10)));
            }
        }
    }

    /**
     * As {@link #requeue}, for the inbox in Kafka ({@code syncline.inbox.mode=kafka}): the new event
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
                + ORIGIN_WEBHOOK + "' END, ?, ? FROM inbox WHERE id = ?", new String[] {"id"})) {
            insert.setString(1, eventId);
            insert.setTimestamp(2, PARKED);
            insert.setLong(3, inboxId);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT route_id, apply_endpoint, entity, source_system,"
                + " record_key, event_id, payload, origin FROM inbox WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return Map.entry(id, new KafkaInboxEnvelope(rows.getString(1), rows.getString(2), rows.getString(3),
                        rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8)));
            }
        }
    }

    /**
     * Deletes at most {@code limit} {@code done} events that finished before {@code cutoff} and
     * that no open review item refers to, oldest first, in a statement of their own.
     *
     * @return how many it deleted: fewer than {@code limit} when no more were due
     */
    public int purgeDone(Timestamp cutoff, int limit) throws SQLException {
        // The partial index inbox_done_finished_idx (V17) serves the range and the order.
        try (Connection connection = dataSource.getConnection(); PreparedStatement purge = connection.prepareStatement(
                "DELETE FROM inbox WHERE id IN (SELECT i.id FROM inbox i WHERE i.status = 'done' AND i.finished_at < ?"
                        + " AND NOT EXISTS (SELECT 1 FROM review_item r WHERE r.inbox_id = i.id AND r.status = 'open')"
                        + " ORDER BY i.finished_at LIMIT ?)")) {
            purge.setTimestamp(1, cutoff);
            purge.setInt(2, limit);
            return purge.executeUpdate();
        }
    }

    /**
     * A new inbox event with the payload and destination of event {@code inboxId}, in the caller's
     * transaction (a dead letter's replay); attempts start again from zero. It carries no sender
     * event id: the replay is deliberate, not a redelivery. A notice stays a notice (its payload
     * names a record to fetch); any other event is replayed as a change.
     *
     * @return the new event's id
     */
    public long requeue(Connection connection, long inboxId) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO inbox (route_id, apply_endpoint, entity,"
                + " source_system, record_key, payload, origin) SELECT route_id, apply_endpoint, entity, source_system,"
                + " record_key, payload, CASE WHEN origin = '" + ORIGIN_NOTICE + "' THEN origin ELSE '" + ORIGIN_WEBHOOK + "' END"
                + " FROM inbox WHERE id = ?", new String[] {"id"})) {
            insert.setLong(1, inboxId);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /**
     * Up to {@code limit} claimable events at {@code now}, marked as processing under a lease
     * that ends {@code until}, oldest first: those whose worker's lease ran out (it died) before
     * those that are due ({@link StrandedClaims#claim}). The lease's end also marks the claim, by
     * which {@link #releaseClaims} finds its events should its commit reach the store while its
     * answer is lost.
     */
    public List<InboxEvent> claimBatch(int limit, Instant now, Instant until) throws SQLException {
        return Transactions.inTransaction(dataSource, connection -> {
            InboxClaimQuery.Claim claim = InboxClaimQuery.bounded(connection);
            List<InboxEvent> events = select(connection, claim.leaseExpired(), now, limit);
            if (events.size() < limit) {
                events.addAll(select(connection, claim.due(), now, limit - events.size()));
            }
            if (!events.isEmpty()) {
                lease(connection, events, until);
            }
            return events;
        });
    }

    /**
     * Gives claimed events back unapplied, as if never claimed (pending, no lease, the claim's
     * attempt not counted): {@link InboxSteps#handBack} when a worker comes to them while the
     * application stops. Nothing happens to an event whose lease ran out and that was claimed again
     * meanwhile (a later attempt).
     */
    public void handBack(List<InboxEvent> events) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE inbox SET status = 'pending', attempts = attempts - 1, claimed_until = NULL"
                        + " WHERE id = ? AND status = 'processing' AND attempts = ?")) {
            for (InboxEvent event : events) {
                update.setLong(1, event.id());
                update.setInt(2, event.attempts());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    /**
     * Ends claims whose worker failed while the state store could not be reached, so that nothing
     * recorded the failure ({@link StrandedClaims}): each event is due again at once, its attempt
     * counted, instead of after its lease. {@code claims} maps an event's id to the attempt it was
     * claimed for; an event that has since finished (its commit did reach the store) or been
     * claimed again (its lease ran out) is left alone.
     */
    public void release(Map<Long, Integer> claims) throws SQLException {
        Timestamp now = Timestamp.from(clock.instant());
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE inbox SET status = 'pending', next_attempt_at = ?, claimed_until = NULL"
                        + " WHERE id = ? AND status = 'processing' AND attempts = ?")) {
            for (Map.Entry<Long, Integer> claim : claims.entrySet()) {
                update.setTimestamp(1, now);
                update.setLong(2, claim.getKey());
                update.setInt(3, claim.getValue());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    /**
     * Gives back, as if never claimed, the events of claims that failed for want of the store
     * ({@link StrandedClaims}): a claim's commit may have reached the store while its answer was
     * lost, leaving events leased that no worker has. Each claim is known by its lease's end,
     * {@code until}; a claim that did not commit leased nothing, and nothing happens.
     */
    public void releaseClaims(Collection<Instant> until) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE inbox SET status = 'pending', attempts = attempts - 1, claimed_until = NULL"
                        + " WHERE status = 'processing' AND claimed_until = ?")) {
            for (Instant lease : until) {
                update.setTimestamp(1, Timestamp.from(lease));
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    private static List<InboxEvent> select(Connection connection, String sql, Instant now, int limit) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setTimestamp(1, Timestamp.from(now));
            select.setInt(2, limit);
            List<InboxEvent> events = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    events.add(new InboxEvent(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getString(5), rows.getString(6), rows.getInt(7) + 1, rows.getString(8), rows.getString(9),
                            rows.getString(10)));
                }
            }
            return events;
        }
    }

    private static void lease(Connection connection, List<InboxEvent> events, Instant until) throws SQLException {
        StringJoiner ids = new StringJoiner(", ", "(", ")");
        events.forEach(event -> ids.add("?"));
        try (PreparedStatement update = connection.prepareStatement("UPDATE inbox SET status = 'processing',"
                + " attempts = attempts + 1, claimed_until = ? WHERE id IN " + ids)) {
            update.setTimestamp(1, Timestamp.from(until));
            for (int i = 0; i < events.size(); i++) {
                update.setLong(i + 2, events.get(i).id());
            }
            update.executeUpdate();
        }
    }

    /**
     * Marks the event done in the caller's transaction, so that it is done exactly when its effects
     * commit; the caller sets property {@value ExchangeContract#INBOX_COMPLETED} once that transaction committed.
     */
    public void complete(Connection connection, long id) throws SQLException {
        complete(Writes.immediate(connection), id);
    }

    /** As {@link #complete(Connection, long)}, through the transaction's writes (a batch's are sent before its commit). */
    public void complete(Writes writes, long id) throws SQLException {
        Timestamp now = Timestamp.from(clock.instant());
        writes.write(FINISH, update -> {
            update.setString(1, "done");
            update.setString(2, null);
            update.setTimestamp(3, now);
            update.setLong(4, id);
        });
    }

    /** The event ended outside the happy path: {@code held} (review queue) or {@code dead} (dead letters). */
    public void finish(long id, String status, String reason) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            finish(connection, id, status, reason);
        }
    }

    private void finish(Connection connection, long id, String status, String reason) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(FINISH)) {
            update.setString(1, status);
            update.setString(2, reason);
            update.setTimestamp(3, Timestamp.from(clock.instant()));
            update.setLong(4, id);
            update.executeUpdate();
        }
    }

    /**
     * The event would have recreated an erased person: {@code refused}, its payload replaced by
     * {@code marker} (which names the request, never a value).
     */
    public void refuse(long id, String reason) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE inbox SET status = 'refused', payload = ?, last_error = ?, finished_at = ?, claimed_until = NULL"
                        + " WHERE id = ?")) {
            update.setString(1, REFUSED_PAYLOAD);
            update.setString(2, reason);
            update.setTimestamp(3, Timestamp.from(clock.instant()));
            update.setLong(4, id);
            update.executeUpdate();
        }
    }

    /** Back to pending, due after {@code delay}; the reason is kept for ops. */
    public void retryLater(long id, Duration delay, String reason) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE inbox SET status = 'pending', next_attempt_at = ?, last_error = ?, claimed_until = NULL WHERE id = ?")) {
            update.setTimestamp(1, Timestamp.from(clock.instant().plus(delay)));
            update.setString(2, reason);
            update.setLong(3, id);
            update.executeUpdate();
        }
    }

    /**
     * Several events back to pending, all due at the same instant after {@code delay}, so that the
     * claim that finds them due takes them together again; the reason is kept for ops.
     */
    public void retryLater(Collection<Long> ids, Duration delay, String reason) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE inbox SET status = 'pending', next_attempt_at = ?, last_error = ?, claimed_until = NULL WHERE id = ANY(?)")) {
            update.setTimestamp(1, Timestamp.from(clock.instant().plus(delay)));
            update.setString(2, reason);
            update.setArray(3, connection.createArrayOf("bigint", ids.toArray()));
            update.executeUpdate();
        }
    }

    /**
     * Back to pending, due at {@code until}, the claim's attempt not counted: the target takes
     * nothing before then (a spent daily budget), and waiting is no failed attempt.
     */
    public void waitUntil(long id, Instant until, String reason) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE inbox SET status = 'pending', next_attempt_at = ?, last_error = ?, claimed_until = NULL,"
                        + " attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END WHERE id = ?")) {
            update.setTimestamp(1, Timestamp.from(until));
            update.setString(2, reason);
            update.setLong(3, id);
            update.executeUpdate();
        }
    }
}
