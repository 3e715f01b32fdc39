package io.syncline.inbox;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.exchange.ExchangeContract;
import io.syncline.store.Sql;
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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * An inbox event's life as a row of the {@code inbox} table, after it was taken in: claimed by a
 * worker under a lease ({@link #claimBatch}), so that a worker that dies mid-event leaves it to be
 * claimed again once the lease runs out; finished (done, held, dead, refused), retried later, or
 * handed back unapplied; purged past the retention. Its SQL, taking plain values, for both
 * adapters of the {@link Inbox} port, since in either mode the events wait as rows.
 */
@ApplicationScoped
@Named("InboxRepository")
@RegisterForReflection
public class InboxRepository {

    /** A refused event's payload: what it carried is not kept (docs/privacy.md). */
    public static final String REFUSED_PAYLOAD = "{\"retained\":\"erased\"}";

    /** A MERGE rather than an UPDATE: a batch's events are marked done by one statement ({@link Writes}). */
    private static final String FINISH = "MERGE INTO inbox t USING (VALUES (?, ?, CAST(? AS TIMESTAMP WITH TIME ZONE),"
            + " CAST(? AS BIGINT))) AS f (status, last_error, finished_at, id) ON t.id = f.id"
            + " WHEN MATCHED THEN UPDATE SET status = f.status, last_error = f.last_error, finished_at = f.finished_at,"
            + " claimed_until = NULL";

    private final AgroalDataSource dataSource;
    private final Clock clock = Clock.systemUTC();

    public InboxRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Deletes at most {@code limit} {@code done} events that finished before {@code cutoff} and
     * that no open review item refers to, oldest first, in a statement of their own.
     *
     * @return how many it deleted: fewer than {@code limit} when no more were due
     */
    public int purgeDone(Timestamp cutoff, int limit) throws SQLException {
        // The partial index inbox_done_finished_idx (V17) serves the range and the order.
        return Sql.update(dataSource, "DELETE FROM inbox WHERE id IN (SELECT i.id FROM inbox i WHERE i.status = 'done' AND i.finished_at < ?"
                + " AND NOT EXISTS (SELECT 1 FROM review_item r WHERE r.inbox_id = i.id AND r.status = 'open')"
                + " ORDER BY i.finished_at LIMIT ?)", Sql.params().timestamp(cutoff).integer(limit));
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
        Sql.batch(dataSource, "UPDATE inbox SET status = 'pending', attempts = attempts - 1, claimed_until = NULL"
                + " WHERE id = ? AND status = 'processing' AND attempts = ?", events, (update, event) -> {
                    update.setLong(1, event.id());
                    update.setInt(2, event.attempts());
                });
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
        Sql.batch(dataSource, "UPDATE inbox SET status = 'pending', next_attempt_at = ?, claimed_until = NULL"
                + " WHERE id = ? AND status = 'processing' AND attempts = ?", claims.entrySet(), (update, claim) -> {
                    update.setTimestamp(1, now);
                    update.setLong(2, claim.getKey());
                    update.setInt(3, claim.getValue());
                });
    }

    /**
     * Gives back, as if never claimed, the events of claims that failed for want of the store
     * ({@link StrandedClaims}): a claim's commit may have reached the store while its answer was
     * lost, leaving events leased that no worker has. Each claim is known by its lease's end,
     * {@code until}; a claim that did not commit leased nothing, and nothing happens.
     */
    public void releaseClaims(Collection<Instant> until) throws SQLException {
        Sql.batch(dataSource, "UPDATE inbox SET status = 'pending', attempts = attempts - 1, claimed_until = NULL"
                + " WHERE status = 'processing' AND claimed_until = ?", until, (update, lease) -> {
                    update.setTimestamp(1, Timestamp.from(lease));
                });
    }

    private static List<InboxEvent> select(Connection connection, String sql, Instant now, int limit) throws SQLException {
        return Sql.list(connection, sql, Sql.params().timestamp(Timestamp.from(now)).integer(limit),
                rows -> new InboxEvent(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getString(5), rows.getString(6), rows.getInt(7) + 1, rows.getString(8), rows.getString(9),
                        rows.getString(10)));
    }

    private static void lease(Connection connection, List<InboxEvent> events, Instant until) throws SQLException {
        StringJoiner ids = new StringJoiner(", ", "(", ")");
        events.forEach(event -> ids.add("?"));
        Sql.update(connection, "UPDATE inbox SET status = 'processing',"
                + " attempts = attempts + 1, claimed_until = ? WHERE id IN " + ids, update -> {
                    update.setTimestamp(1, Timestamp.from(until));
                    for (int i = 0; i < events.size(); i++) {
                        update.setLong(i + 2, events.get(i).id());
                    }
                });
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
        writes.write(FINISH, Sql.params().text("done", null).timestamp(now).bigint(id));
    }

    /** The event ended outside the happy path: {@code held} (review queue) or {@code dead} (dead letters). */
    public void finish(long id, String status, String reason) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            finish(connection, id, status, reason);
        }
    }

    private void finish(Connection connection, long id, String status, String reason) throws SQLException {
        Sql.update(connection, FINISH, Sql.params().text(status, reason).timestamp(Timestamp.from(clock.instant())).bigint(id));
    }

    /**
     * The event would have recreated an erased person: {@code refused}, its payload replaced by
     * {@code marker} (which names the request, never a value).
     */
    public void refuse(long id, String reason) throws SQLException {
        Sql.update(dataSource, "UPDATE inbox SET status = 'refused', payload = ?, last_error = ?, finished_at = ?, claimed_until = NULL"
                + " WHERE id = ?", Sql.params().text(REFUSED_PAYLOAD, reason).timestamp(Timestamp.from(clock.instant())).bigint(id));
    }

    /** Back to pending, due after {@code delay}; the reason is kept for ops. */
    public void retryLater(long id, Duration delay, String reason) throws SQLException {
        Sql.update(dataSource, "UPDATE inbox SET status = 'pending', next_attempt_at = ?, last_error = ?, claimed_until = NULL WHERE id = ?",
                Sql.params().timestamp(Timestamp.from(clock.instant().plus(delay))).text(reason).bigint(id));
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
        Sql.update(dataSource, "UPDATE inbox SET status = 'pending', next_attempt_at = ?, last_error = ?, claimed_until = NULL,"
                + " attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END WHERE id = ?",
                Sql.params().timestamp(Timestamp.from(until)).text(reason).bigint(id));
    }

    /**
     * Back to pending while a schema drift pauses the mapping of {@code entity} from {@code system}
     * ({@code schema_drift}), due at {@code until}, the attempt not counted; due at once where no
     * drift pauses it any more: a resume that committed while the event was being looked at, whose
     * wake-up ({@link #wakePaused}) could not see it, then loses nothing.
     */
    public void waitWhilePaused(long id, String entity, String system, Instant until, String reason) throws SQLException {
        Sql.update(dataSource, "UPDATE inbox SET status = 'pending', next_attempt_at = CASE WHEN EXISTS (SELECT 1 FROM schema_drift d"
                + " WHERE d.entity = ? AND d.source_system = ? AND d.status = 'paused') THEN CAST(? AS TIMESTAMP WITH TIME ZONE)"
                + " ELSE CAST(? AS TIMESTAMP WITH TIME ZONE) END, last_error = ?,"
                + " claimed_until = NULL, attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END WHERE id = ?",
                Sql.params().text(entity, system).timestamp(Timestamp.from(until)).timestamp(Timestamp.from(clock.instant()))
                        .text(reason).bigint(id));
    }

    /**
     * Makes due now every pending event of {@code entity} from {@code system} whose reason begins
     * with {@code reasonPrefix} (those that waited for their paused mapping); how many.
     */
    public int wakePaused(String entity, String system, String reasonPrefix) throws SQLException {
        return Sql.update(dataSource, "UPDATE inbox SET next_attempt_at = ? WHERE status = 'pending' AND entity = ?"
                + " AND source_system = ? AND last_error LIKE ?",
                Sql.params().timestamp(Timestamp.from(clock.instant())).text(entity, system, reasonPrefix + "%"));
    }

    /** When event {@code id} was received; empty for one the inbox does not have (any more). */
    public Optional<Instant> receivedAt(long id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT received_at FROM inbox WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getTimestamp(1).toInstant()) : Optional.empty();
            }
        }
    }
}
