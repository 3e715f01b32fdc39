package io.syncline.inbox;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The SELECT that picks claimable events: due, and not behind an earlier unfinished event of
 * the same record (source order per record). PostgreSQL skips rows other workers hold
 * ({@code SKIP LOCKED}), so replicas share the inbox without waiting on each other; the
 * embedded H2 of dev mode has one worker and plain {@code FOR UPDATE}.
 */
final class InboxClaimQuery {

    private static final String SELECT = "SELECT i.id, i.route_id, i.apply_endpoint, i.entity, i.source_system,"
            + " i.payload, i.attempts, i.event_id, i.origin FROM inbox i"
            + " WHERE ((i.status = 'pending' AND i.next_attempt_at <= ?) OR (i.status = 'processing' AND i.claimed_until < ?))"
            + " AND NOT EXISTS (SELECT 1 FROM inbox e WHERE e.source_system = i.source_system AND e.entity = i.entity"
            + " AND e.record_key = i.record_key AND e.id < i.id AND e.status IN ('pending', 'processing'))"
            + " ORDER BY i.id LIMIT ? FOR UPDATE";

    private InboxClaimQuery() {
    }

    static String sql(Connection connection) throws SQLException {
        boolean postgres = connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT)
                .contains("postgres");
        return postgres ? SELECT + " SKIP LOCKED" : SELECT;
    }
}
