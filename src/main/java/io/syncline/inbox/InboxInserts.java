package io.syncline.inbox;

import io.syncline.audit.AuditEntry;
import io.syncline.audit.AuditLog;
import io.syncline.store.Sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * What every way into the inbox table shares: an event's columns bound to an {@code INSERT}, and
 * the first delivery of an event id the table holds already.
 */
final class InboxInserts {

    private static final String FIND_EVENT = "SELECT id FROM inbox WHERE source_system = ? AND event_id = ?";

    private InboxInserts() {
    }

    /** Sets an inbox INSERT's first eight parameters: route, apply endpoint, entity, system, record key, event id, payload, origin. */
    static void bindEvent(PreparedStatement insert, String routeId, String applyEndpoint, String entity, String system,
            String recordKey, String eventId, String payload, String origin) throws SQLException {
        Sql.params().text(routeId, applyEndpoint, entity, system, recordKey, eventId, payload, origin).bind(insert);
    }

    /** The inbox id of the event the table holds with event id {@code eventId} from {@code system}. */
    static long firstDelivery(Connection connection, String system, String eventId) throws SQLException {
        return Sql.one(connection, FIND_EVENT, Sql.params().text(system, eventId), rows -> rows.getLong(1));
    }

    /** An event id delivered before: audited as a duplicate of its first delivery, whose inbox id it returns. */
    static long redelivered(AuditLog audit, Connection connection, String entity, String system, String recordKey,
            String eventId) throws SQLException {
        long id = firstDelivery(connection, system, eventId);
        audit.record(connection, new AuditEntry(AuditEntry.Action.SKIPPED_DUPLICATE, entity, null, system,
                recordKey, null, null, null, id, "event:" + eventId, null, null,
                "event id " + eventId + " redelivered; accepted before as inbox event " + id));
        return id;
    }
}
