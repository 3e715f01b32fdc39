package io.syncline.inbox;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.audit.AuditEntry;
import io.syncline.audit.AuditLog;
import io.syncline.config.SynclineConfig;
import io.syncline.metrics.SyncMetrics;
import io.syncline.mapping.FieldContract;
import io.syncline.mapping.FieldPaths;
import io.syncline.model.load.SyncModelRegistry;
import io.syncline.store.HotTableStatistics;
import io.syncline.store.Transactions;
import io.syncline.store.Writes;
import io.syncline.sync.ApplyBatch;
import io.syncline.sync.ApplyEvents;
import io.syncline.sync.SyncUnit;
import io.syncline.webhook.IntakeIds;
import io.syncline.webhook.JsonPayloadParser;
import io.syncline.webhook.RequestsInProgress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The durable inbox (table {@code inbox}). {@link #accept} commits an event before the webhook
 * answers 202; {@link #claim} hands due events to a worker under a lease, so that a worker that
 * dies mid-event leaves it to be claimed again once the lease runs out.
 */
@ApplicationScoped
@Named("InboxRepository")
@RegisterForReflection
public class InboxRepository {

    /** Exchange properties set for the event being processed. */
    public static final String INBOX_ID = "SynclineInboxId";
    public static final String ATTEMPTS = "SynclineInboxAttempts";
    public static final String SOURCE_ROUTE = "SynclineSourceRoute";
    public static final String ENTITY = "SynclineEntity";
    public static final String SOURCE_SYSTEM = "SynclineSourceSystem";
    /** The sender's event id, kept for idempotency when the sender gives one. */
    public static final String EVENT_ID_HEADER = "X-Event-Id";

    /** Exchange property set by {@link #claim(Exchange, int)}: true when fewer events were due than it asked for. */
    public static final String DRAINED = "SynclineInboxDrained";

    /** Exchange property: true once the event was marked done in the transaction that applied it. */
    public static final String COMPLETED = "SynclineInboxCompleted";

    /** Exchange property: the event id the signature scheme carries (e.g. GitHub's delivery id). */
    public static final String EVENT_ID = "SynclineEventId";

    /** Exchange property: where the event came from, {@value #ORIGIN_WEBHOOK} or {@value #ORIGIN_RESYNC}. */
    public static final String ORIGIN = "SynclineOrigin";
    public static final String ORIGIN_WEBHOOK = "webhook";
    /** A deliberate push of the master's last known values (the sync-before-ship gate), not a change. */
    public static final String ORIGIN_RESYNC = "resync";

    private static final String INSERT = "INSERT INTO inbox (route_id, apply_endpoint, entity, source_system, record_key,"
            + " event_id, payload) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    /** A MERGE rather than an UPDATE: a batch's events are marked done by one statement ({@link Writes}). */
    private static final String FINISH = "MERGE INTO inbox t USING (VALUES (?, ?, CAST(? AS TIMESTAMP WITH TIME ZONE),"
            + " CAST(? AS BIGINT))) AS f (status, last_error, finished_at, id) ON t.id = f.id"
            + " WHEN MATCHED THEN UPDATE SET status = f.status, last_error = f.last_error, finished_at = f.finished_at,"
            + " claimed_until = NULL";
    private static final String FIND_EVENT = "SELECT id FROM inbox WHERE source_system = ? AND event_id = ?";

    private final AgroalDataSource dataSource;
    private final SyncModelRegistry registry;
    private final SynclineConfig.Inbox settings;
    private final AuditLog audit;
    private final SyncMetrics metrics;
    private final InboxArrivals arrivals;
    private final IntakePriority intake;
    private final RequestsInProgress requests;
    private final HotTableStatistics statistics;
    private final Clock clock = Clock.systemUTC();

    public InboxRepository(AgroalDataSource dataSource, SyncModelRegistry registry, SynclineConfig config, AuditLog audit,
                           SyncMetrics metrics, InboxArrivals arrivals, IntakePriority intake, RequestsInProgress requests,
                           HotTableStatistics statistics) {
        this.dataSource = dataSource;
        this.statistics = statistics;
        this.arrivals = arrivals;
        this.intake = intake;
        this.requests = requests;
        this.audit = audit;
        this.metrics = metrics;
        this.registry = registry;
        this.settings = config.inbox();
    }

    /**
     * Stores the exchange's original payload for {@code applyEndpoint} and answers with the inbox
     * id (the webhook template's {@link InboxIntake} stage).
     * An event id the source already delivered is not stored again: the answer is
     * {@code duplicate} with the first delivery's inbox id.
     */
    public Map<String, Object> accept(String entity, String system, String applyEndpoint, Exchange exchange)
            throws SQLException {
        intake.accepted(requests.count());
        @SuppressWarnings("unchecked")
        Map<String, Object> body = exchange.getMessage().getBody(Map.class);
        // The source's own record id orders the events of one record; the contract says where it is.
        FieldContract contract = registry.current().transformer().contract(entity, system);
        String recordKey = IntakeIds.recordKey(body == null ? null : FieldPaths.get(body, contract.keySteps()),
                contract.keyPath());
        String schemeEventId = exchange.getProperty(EVENT_ID, String.class);
        String eventId = schemeEventId != null ? IntakeIds.eventId(schemeEventId, "event id")
                : IntakeIds.eventId(exchange.getMessage().getHeader(EVENT_ID_HEADER, String.class), EVENT_ID_HEADER);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(INSERT, new String[] {"id"})) {
            insert.setString(1, exchange.getFromRouteId());
            insert.setString(2, applyEndpoint);
            insert.setString(3, entity);
            insert.setString(4, system);
            insert.setString(5, recordKey);
            insert.setString(6, eventId);
            insert.setString(7, exchange.getProperty(JsonPayloadParser.ORIGINAL_PAYLOAD, String.class));
            boolean stored = insert.executeUpdate() == 1;
            long id;
            if (stored) {
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
                metrics.event(exchange.getFromRouteId(), SyncMetrics.Outcome.RECEIVED);
                arrivals.arrived();
                statistics.stored();
            } else {
                id = firstDelivery(connection, system, eventId);
                metrics.event(exchange.getFromRouteId(), SyncMetrics.Outcome.DUPLICATE);
                audit.record(connection, new AuditEntry(AuditEntry.Action.SKIPPED_DUPLICATE, entity, null, system,
                        recordKey, null, null, null, id, "event:" + eventId, null, null,
                        "event id " + eventId + " redelivered; accepted before as inbox event " + id));
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("status", stored ? "accepted" : "duplicate");
            answer.put("inboxId", id);
            return answer;
        }
    }

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

    private static long firstDelivery(Connection connection, String system, String eventId) throws SQLException {
        try (PreparedStatement find = connection.prepareStatement(FIND_EVENT)) {
            find.setString(1, system);
            find.setString(2, eventId);
            try (ResultSet rows = find.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
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
                        + " requested_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", new String[] {"id"})) {
            insert.setString(1, routeId);
            insert.setString(2, applyEndpoint);
            insert.setString(3, entity);
            insert.setString(4, system);
            insert.setString(5, recordKey);
            insert.setString(6, eventId);
            insert.setString(7, payload);
            insert.setString(8, origin);
            insert.setString(9, requestedBy);
            if (insert.executeUpdate() == 1) {
                arrivals.arrived();
                statistics.stored();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
            // The same event id was enqueued before: its first event stands, nothing is stored twice.
            return firstDelivery(connection, system, eventId);
        }
    }

    /** An event's status ({@code pending}, {@code processing}, {@code done}, {@code held}, {@code dead}) and its last error. */
    public record EventStatus(String status, String lastError) {

        public boolean finished() {
            return !"pending".equals(status) && !"processing".equals(status);
        }
    }

    /** Events of a record from {@code system} not yet finished (pending or being processed). */
    public long unfinished(String entity, String system, String recordKey) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT count(*) FROM inbox WHERE entity = ? AND source_system = ? AND record_key = ?"
                        + " AND status IN ('pending', 'processing')")) {
            select.setString(1, entity);
            select.setString(2, system);
            select.setString(3, recordKey);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /**
     * The webhook route and apply endpoint that last carried a change of {@code entity} from
     * {@code source} to {@code target} (any record), as the audit log shows: where a re-sync from
     * the master to that target is sent. Empty when none ever has.
     */
    public record ApplyRoute(String webhookRouteId, String applyEndpoint) {
    }

    public Optional<ApplyRoute> lastApplyRoute(String entity, String source, String target) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT i.route_id, i.apply_endpoint FROM audit_log a JOIN inbox i ON i.id = a.inbox_id"
                        + " WHERE a.entity = ? AND a.source_system = ? AND a.target_system = ?"
                        + " AND a.action IN ('created', 'updated', 'unchanged') ORDER BY a.id DESC LIMIT 1")) {
            select.setString(1, entity);
            select.setString(2, source);
            select.setString(3, target);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(new ApplyRoute(rows.getString(1), rows.getString(2))) : Optional.empty();
            }
        }
    }

    public Optional<EventStatus> status(long id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT status, last_error FROM inbox WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(new EventStatus(rows.getString(1), rows.getString(2)))
                        : Optional.empty();
            }
        }
    }

    /**
     * Claims due events for the dispatcher, at most {@code room} (the free places in the workers'
     * queue, {@link InboxWorkerQueue#awaitRoom()}), so that queueing them never blocks:
     * {@code bean: {ref: InboxRepository, method: "claim(${exchange}, ${exchangeProperty.SynclineInboxRoom})"}}.
     * Sets property {@value #DRAINED} when there was room but fewer events due than it asked for:
     * nothing more was due, and the dispatcher waits for the next arrival before it claims again
     * (rather than claiming once more in vain, a transaction of two statements for nothing).
     * Otherwise it hands the events to the workers' queue and claims again at once, while they
     * are applied.
     */
    public List<InboxEvent> claim(Exchange exchange, int room) throws SQLException {
        int limit = Math.min(room, settings.batchSize());
        List<InboxEvent> events = room > 0 ? claimBatch(limit) : List.of();
        exchange.setProperty(DRAINED, room > 0 && events.size() < limit);
        return events;
    }

    /**
     * Up to {@code limit} claimable events, marked as processing under a lease, oldest first:
     * those whose worker's lease ran out (it died) before those that are due.
     */
    private List<InboxEvent> claimBatch(int limit) throws SQLException {
        Instant now = clock.instant();
        return Transactions.inTransaction(dataSource, connection -> {
            List<InboxEvent> events = select(connection, InboxClaimQuery.leaseExpired(connection), now, limit);
            if (events.size() < limit) {
                events.addAll(select(connection, InboxClaimQuery.due(connection), now, limit - events.size()));
            }
            if (!events.isEmpty()) {
                lease(connection, events, now.plus(settings.lease()));
            }
            return events;
        });
    }

    /**
     * Gives a claimed event (the exchange's body), or a batch's events, back unapplied, as if never
     * claimed (pending, no lease, the claim's attempt not counted): {@code bean: {ref: InboxRepository,
     * method: handBack}} when a worker comes to them while the application stops. The next
     * claim, by this replica's successor or by another replica, takes them at once instead of
     * after the lease. Nothing happens to an event whose lease ran out and that was claimed again
     * meanwhile (a later attempt).
     */
    public void handBack(Exchange exchange) throws SQLException {
        Object body = exchange.getMessage().getBody();
        List<?> events = body instanceof List<?> batch ? batch : List.of(exchange.getMessage().getBody(InboxEvent.class));
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE inbox SET status = 'pending', attempts = attempts - 1, claimed_until = NULL"
                        + " WHERE id = ? AND status = 'processing' AND attempts = ?")) {
            for (Object event : events) {
                update.setLong(1, ((InboxEvent) event).id());
                update.setInt(2, ((InboxEvent) event).attempts());
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
     * The event was applied: {@code bean: {ref: InboxRepository, method: "complete(${exchange})"}}. Nothing
     * to do when the apply route already marked it done in the transaction that applied it
     * ({@link #complete(Connection, long)}, property {@value #COMPLETED}).
     */
    public void complete(Exchange exchange) throws SQLException {
        ApplyEvents.forEach(exchange, this::completeEvent);
    }

    private void completeEvent(Exchange exchange) throws SQLException {
        SyncUnit unit = exchange.getProperty(SyncUnit.PROPERTY, SyncUnit.class);
        if (unit != null && unit.isOpen()) {
            // Marking the event done now would lose what the unit has not committed.
            throw new SyncUnitLeftOpenException(exchange.getProperty(INBOX_ID));
        }
        if (!exchange.getProperty(COMPLETED, false, Boolean.class)) {
            // In a batch, done commits with the rest of the batch (a skipped event's audit entry and key).
            ApplyBatch batch = ApplyBatch.of(exchange);
            if (batch != null) {
                complete(batch.writes(), exchange.getProperty(INBOX_ID, Long.class));
            } else {
                finish(exchange.getProperty(INBOX_ID, Long.class), "done", null);
            }
        }
    }

    /**
     * Marks the event done in the caller's transaction, so that it is done exactly when its effects
     * commit; the caller sets property {@value #COMPLETED} once that transaction committed.
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
}
