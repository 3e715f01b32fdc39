package io.syncline.inbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The SELECTs that pick claimable events: not behind an earlier unfinished event of the same
 * record (source order per record), nor while a later event of the record is being applied under
 * a live lease, oldest first. The second rule matters when two events of one record are accepted
 * at the same instant: the one given the smaller id can commit after the other was claimed, and
 * would otherwise be applied beside it, both racing for the record's state and target row.
 * PostgreSQL skips rows other workers hold
 * ({@code SKIP LOCKED}), so replicas share the inbox without waiting on each other; the embedded
 * H2 of dev mode has one worker and plain {@code FOR UPDATE}.
 *
 * <p>Two statements, one per status, rather than one with {@code status = 'pending' … OR status =
 * 'processing' …}: each is a range of the index on (status, id) read in id order, so a claim
 * reads about as many rows as it takes, however many finished events the inbox keeps. With the
 * OR, PostgreSQL walks the primary key from the oldest event and filters out every done one.
 * On PostgreSQL each status has its own index on id holding only its events (V18): an index over
 * every event lost to the primary key whenever the statistics had been taken during a backlog.
 *
 * <p>On PostgreSQL the claim's transaction first {@linkplain #bounded rules out} the plans that
 * read every pending event: without statistics for the inbox (never analysed, or analysed before a
 * burst) PostgreSQL believes a handful of events are pending, and then finds every pending one
 * through a bitmap of the index and sorts them all to take the oldest few: 75 ms a claim at 10,000
 * pending, growing with the backlog, where walking the index in id order stops at the limit. The
 * statistics cannot tell the two apart; only a backlog can, and that is when the claim must be
 * fastest. PostgreSQL has no plan hints, so the claim's transaction turns off, for itself alone,
 * the sorts, bitmap and sequential scans, hash and merge joins that such a plan needs: what is
 * left is the bounded plan, whatever the statistics say (InboxClaimPlanTest).
 */
final class InboxClaimQuery {

    private static final String COLUMNS = "SELECT i.id, i.route_id, i.apply_endpoint, i.entity, i.source_system,"
            + " i.payload, i.attempts, i.event_id, i.origin, i.record_key FROM inbox i WHERE ";
    private static final String IN_ORDER = " AND NOT EXISTS (SELECT 1 FROM inbox e WHERE e.source_system = i.source_system"
            + " AND e.entity = i.entity AND e.record_key = i.record_key AND e.id < i.id AND e.status IN ('pending', 'processing'))"
            // nor while a later event of the record is being applied under a live lease: events under lease are
            // few (the workers' batches), and the look-up reads only those with a greater id
            + " AND NOT EXISTS (SELECT 1 FROM inbox l WHERE l.status = 'processing' AND l.id > i.id"
            + " AND l.source_system = i.source_system AND l.entity = i.entity AND l.record_key = i.record_key"
            + " AND l.claimed_until >= CURRENT_TIMESTAMP)"
            + " ORDER BY i.id LIMIT ? FOR UPDATE";

    /** Events due: parameters now, limit. */
    private static final String DUE = COLUMNS + "i.status = 'pending' AND i.next_attempt_at <= ?" + IN_ORDER;

    /** Events whose worker's lease ran out (it died): parameters now, limit. */
    private static final String LEASE_EXPIRED = COLUMNS + "i.status = 'processing' AND i.claimed_until < ?" + IN_ORDER;

    /**
     * Leaves PostgreSQL, until the transaction ends, only the plan that walks the status's index in
     * id order and looks up each event's earlier ones by the record index and its record's later ones
     * under lease (nested loops, nothing materialised), stopping
     * at the limit. Each setting only makes the plans it names a last resort. And each claim is
     * planned afresh, on the inbox as it is: the driver prepares the claim on the server, where
     * PostgreSQL would otherwise keep a generic plan made while the inbox was empty (at start-up)
     * for as long as the connection lives, one that looked up each event's earlier ones through
     * the event id index, reading every event of the source for each: 2.7 s a claim at 32,000
     * events. Planning takes about 0.5 ms, once a claim of up to a batch of events.
     */
    private static final String BOUNDED_PLAN = "SELECT set_config('enable_sort', 'off', true),"
            + " set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true),"
            + " set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true),"
            + " set_config('enable_material', 'off', true),"
            + " set_config('plan_cache_mode', 'force_custom_plan', true)";

    private InboxClaimQuery() {
    }

    /**
     * The claim's two SELECTs: events whose lease ran out and events due (parameters now, limit
     * each).
     */
    record Claim(String leaseExpired, String due) {
    }

    /**
     * The claim's SELECTs, the connection's transaction set to plan them bounded first (one round
     * trip for both): whoever claims through it, the dispatcher or a test explaining its plan,
     * gets the plan the dispatcher runs.
     */
    static Claim bounded(Connection connection) throws SQLException {
        boolean postgres = postgres(connection);
        if (postgres) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(BOUNDED_PLAN);
            }
        }
        return postgres ? new Claim(LEASE_EXPIRED + " SKIP LOCKED", DUE + " SKIP LOCKED") : new Claim(LEASE_EXPIRED, DUE);
    }

    private static boolean postgres(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }
}
