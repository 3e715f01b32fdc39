package io.syncline.inbox;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The SELECTs that pick claimable events: not behind an earlier unfinished event of the same
 * record (source order per record), oldest first. PostgreSQL skips rows other workers hold
 * ({@code SKIP LOCKED}), so replicas share the inbox without waiting on each other; the embedded
 * H2 of dev mode has one worker and plain {@code FOR UPDATE}.
 *
 * <p>Two statements, one per status, rather than one with {@code status = 'pending' … OR status =
 * 'processing' …}: each is a range of the index on (status, id) read in id order, so a claim
 * reads about as many rows as it takes, however many finished events the inbox keeps. With the
 * OR, PostgreSQL walks the primary key from the oldest event and filters out every done one.
 * On PostgreSQL each status has its own index on id holding only its events (V18): an index over
 * every event lost to the primary key whenever the statistics had been taken during a backlog.
 */
final class InboxClaimQuery {

    private static final String COLUMNS = "SELECT i.id, i.route_id, i.apply_endpoint, i.entity, i.source_system,"
            + " i.payload, i.attempts, i.event_id, i.origin, i.record_key FROM inbox i WHERE ";
    private static final String IN_ORDER = " AND NOT EXISTS (SELECT 1 FROM inbox e WHERE e.source_system = i.source_system"
            + " AND e.entity = i.entity AND e.record_key = i.record_key AND e.id < i.id AND e.status IN ('pending', 'processing'))"
            + " ORDER BY i.id LIMIT ? FOR UPDATE";

    /** Events due: parameters now, limit. */
    private static final String DUE = COLUMNS + "i.status = 'pending' AND i.next_attempt_at <= ?" + IN_ORDER;

    /** Events whose worker's lease ran out (it died): parameters now, limit. */
    private static final String LEASE_EXPIRED = COLUMNS + "i.status = 'processing' AND i.claimed_until < ?" + IN_ORDER;

    private InboxClaimQuery() {
    }

    static String due(Connection connection) throws SQLException {
        return forDatabase(connection, DUE);
    }

    static String leaseExpired(Connection connection) throws SQLException {
        return forDatabase(connection, LEASE_EXPIRED);
    }

    private static String forDatabase(Connection connection, String select) throws SQLException {
        boolean postgres = connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT)
                .contains("postgres");
        return postgres ? select + " SKIP LOCKED" : select;
    }
}
