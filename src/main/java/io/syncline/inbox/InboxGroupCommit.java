package io.syncline.inbox;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.syncline.config.SynclineConfig;
import io.syncline.store.StoreOutage;
import io.syncline.store.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Commits the webhooks' events to the inbox, the events of concurrent requests together: one
 * transaction, one round trip (a JDBC batch) and one flush of PostgreSQL's write-ahead log for all
 * the events that arrived while the commit before was under way. Each request still waits until
 * its own event is committed before it is answered, so an event answered 202 is stored, as with
 * one commit per request.
 *
 * <p>A group commit as databases do it for their own log, without a linger: a request that finds
 * a committer's place free ({@code syncline.inbox.intake.committers}) becomes a committer on its
 * own thread and takes every event waiting, its own among them; the others wait to be committed.
 * So a request arriving while nothing commits is committed at once and alone, as before, and
 * batches form only when requests come faster than commits end: exactly when sharing a commit
 * saves the CPU and the round trips a commit of its own would cost.
 *
 * <p>A batch that fails is not allowed to fail its neighbours: unless the store is down (then
 * every event of it fails with that outage, which the webhook answers 503), each of its events
 * is inserted again by its own request, on its own, so that only the event at fault fails.
 */
@ApplicationScoped
public class InboxGroupCommit {

    /** What {@link #store} answers for an event whose event id its system delivered before. */
    public static final long NOT_STORED = -1;

    static final String INSERT = "INSERT INTO inbox (route_id, apply_endpoint, entity, source_system, record_key,"
            + " event_id, payload) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

    /** Longest wait before a waiting request looks again whether it can commit (a wake-up is normally sent). */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** An event for the inbox, as the webhook accepted it. */
    public record NewEvent(String routeId, String applyEndpoint, String entity, String system, String recordKey,
                           String eventId, String payload) {
    }

    private final DataSource dataSource;
    private final int maxEvents;
    private final Semaphore committers;
    private final Queue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private final DistributionSummary batchSizes;

    @Inject
    public InboxGroupCommit(AgroalDataSource dataSource, SynclineConfig config, MeterRegistry meters) {
        this(dataSource, config.inbox().intake().committers(), config.inbox().intake().maxEvents(), meters);
    }

    InboxGroupCommit(DataSource dataSource, int committers, int maxEvents, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.maxEvents = maxEvents;
        this.committers = new Semaphore(committers);
        this.batchSizes = DistributionSummary.builder("syncline.inbox.intake.commit.events")
                .description("Webhook events committed to the inbox in one transaction (count: the commits)")
                .register(meters);
    }

    /**
     * Stores {@code event} and returns its inbox id once it is committed, or {@link #NOT_STORED}
     * when the inbox already holds an event of that system with that event id.
     */
    public long store(NewEvent event) throws SQLException {
        Waiting mine = new Waiting(event, Thread.currentThread());
        waiting.add(mine);
        while (!mine.done) {
            if (committers.tryAcquire()) {
                try {
                    commitWaiting();
                } finally {
                    committers.release();
                }
                // Events that arrived while this thread committed wait for a committer's place.
                wakeNext();
            } else if (!mine.done) {
                // A committer takes this event, or wakes its thread when its place is free again.
                LockSupport.parkNanos(this, RECHECK_NANOS);
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.retryAlone ? insert(event) : mine.id;
    }

    /** Commits up to {@code maxEvents} waiting events in one transaction, oldest first. */
    private void commitWaiting() {
        List<Waiting> batch = new ArrayList<>();
        for (Waiting next; batch.size() < maxEvents && (next = waiting.poll()) != null; ) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return;
        }
        boolean committed = false;
        try {
            long[] ids = batch.size() == 1 ? new long[] {insert(batch.get(0).event)} : insertAll(batch);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).id = ids[i];
            }
            committed = true;
        } catch (SQLException e) {
            for (Waiting each : batch) {
                if (batch.size() == 1 || StoreOutage.isOutage(e)) {
                    each.failure = e;
                } else {
                    each.retryAlone = true;
                }
            }
        } catch (RuntimeException | Error e) {
            // Whatever went wrong, the requests waiting for this batch must hear of it, not wait forever.
            batch.forEach(each -> each.failure = new SQLException("Storing the event in the inbox failed", e));
        } finally {
            for (Waiting each : batch) {
                each.done = true;
                LockSupport.unpark(each.thread);
            }
        }
        if (committed) {
            batchSizes.record(batch.size());
        }
    }

    private void wakeNext() {
        Waiting next = waiting.peek();
        if (next != null) {
            LockSupport.unpark(next.thread);
        }
    }

    /** One event, committed on its own (auto-commit): one round trip. */
    private long insert(NewEvent event) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(INSERT, new String[] {"id"})) {
            bind(insert, event);
            if (insert.executeUpdate() == 0) {
                return NOT_STORED;
            }
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /**
     * Several events in one transaction, sent as one JDBC batch. An event whose event id is
     * stored already (by an earlier delivery, or earlier in this batch) inserts nothing: its
     * update count is 0 and it has no generated key, so the keys follow the counts in order.
     */
    private long[] insertAll(List<Waiting> batch) throws SQLException {
        return Transactions.inTransaction(dataSource, connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT, new String[] {"id"})) {
                for (Waiting each : batch) {
                    bind(insert, each.event);
                    insert.addBatch();
                }
                int[] counts = insert.executeBatch();
                long[] ids = new long[batch.size()];
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = counts[i] == 0 ? NOT_STORED : nextKey(keys);
                    }
                }
                return ids;
            }
        });
    }

    private static long nextKey(ResultSet keys) throws SQLException {
        if (!keys.next()) {
            throw new SQLException("The inbox batch returned fewer generated ids than rows it inserted");
        }
        return keys.getLong(1);
    }

    private static void bind(PreparedStatement insert, NewEvent event) throws SQLException {
        insert.setString(1, event.routeId());
        insert.setString(2, event.applyEndpoint());
        insert.setString(3, event.entity());
        insert.setString(4, event.system());
        insert.setString(5, event.recordKey());
        insert.setString(6, event.eventId());
        insert.setString(7, event.payload());
    }

    /** A request's event waiting to be committed, and then what became of it. */
    private static final class Waiting {

        final NewEvent event;
        final Thread thread;
        /** Set last, after the outcome, by the committer; read by the request's thread. */
        volatile boolean done;
        long id;
        boolean retryAlone;
        SQLException failure;

        Waiting(NewEvent event, Thread thread) {
            this.event = event;
            this.thread = thread;
        }
    }
}
