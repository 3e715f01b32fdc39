package io.syncline.inbox;

import io.agroal.api.AgroalDataSource;
import io.syncline.store.Sql;
import io.syncline.sync.ParentNotLinkedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * What record status and re-sync ask of the inbox about one event or one record: read only.
 */
@ApplicationScoped
public class InboxLookups {

    @Inject
    AgroalDataSource dataSource;

    /** An event's status ({@code pending}, {@code processing}, {@code done}, {@code held}, {@code dead}) and its last error. */
    public record EventStatus(String status, String lastError) {

        public boolean finished() {
            return !"pending".equals(status) && !"processing".equals(status);
        }
    }

    public Optional<EventStatus> status(long id) throws SQLException {
        return Sql.optional(dataSource, "SELECT status, last_error FROM inbox WHERE id = ?", select -> select.setLong(1, id),
                rows -> new EventStatus(rows.getString(1), rows.getString(2)));
    }

    /** The status of the event {@code system} sent with {@code eventId}; empty when the inbox has none. */
    public Optional<EventStatus> status(String system, String eventId) throws SQLException {
        return Sql.optional(dataSource, "SELECT status, last_error FROM inbox WHERE source_system = ? AND event_id = ?",
                Sql.params().text(system, eventId), rows -> new EventStatus(rows.getString(1), rows.getString(2)));
    }

    /** Why pending events of a record from {@code system} wait for a parent, one reason each, oldest first. */
    public List<String> waitingForParent(String entity, String system, String recordKey) throws SQLException {
        return Sql.list(dataSource, "SELECT last_error FROM inbox WHERE entity = ? AND source_system = ? AND record_key = ?"
                + " AND status = 'pending' AND last_error LIKE ? ORDER BY id",
                Sql.params().text(entity, system, recordKey)
                        .text(ParentNotLinkedException.REASON_PREFIX + "%"),
                rows -> rows.getString(1));
    }

    /** A pending event as a schema drift's proposal reads it: its record and payload as received. */
    public record WaitingEvent(long id, String recordKey, String payload) {
    }

    /**
     * Up to {@code limit} pending events of {@code entity} from {@code system}, oldest first: while
     * a schema drift pauses the mapping, every one of them waits for it, those behind an earlier
     * event of their record included.
     */
    public List<WaitingEvent> pendingEvents(String entity, String system, int limit) throws SQLException {
        return Sql.list(dataSource, "SELECT id, record_key, payload FROM inbox WHERE status = 'pending' AND entity = ?"
                + " AND source_system = ? ORDER BY id LIMIT ?",
                Sql.params().text(entity, system).integer(limit),
                rows -> new WaitingEvent(rows.getLong(1), rows.getString(2), rows.getString(3)));
    }

    /**
     * The payloads of a record's last {@code limit} events from {@code system} that were applied
     * (done), newest first: what the source last sent of it, as long as the inbox keeps applied
     * events ({@code syncline.inbox.retention}).
     */
    public List<String> appliedPayloads(String entity, String system, String recordKey, int limit) throws SQLException {
        return Sql.list(dataSource, "SELECT payload FROM inbox WHERE entity = ? AND source_system = ? AND record_key = ?"
                + " AND status = 'done' AND payload IS NOT NULL ORDER BY id DESC LIMIT ?",
                Sql.params().text(entity, system, recordKey).integer(limit), rows -> rows.getString(1));
    }

    /** An applied event as a shadow replay reads it again: its record, its sender's id, how it came and its payload. */
    public record AppliedEvent(long id, String recordKey, String eventId, String origin, String payload) {
    }

    /**
     * Up to {@code limit} events of {@code entity} from {@code system} received in [{@code from},
     * {@code to}) and applied (done), after {@code afterId}, oldest first: what a shadow replay runs
     * through a candidate model, as long as the inbox keeps applied events ({@code syncline.inbox.retention}).
     */
    public List<AppliedEvent> applied(String entity, String system, java.time.Instant from, java.time.Instant to, long afterId,
            int limit) throws SQLException {
        return Sql.list(dataSource, "SELECT id, record_key, event_id, origin, payload FROM inbox WHERE entity = ?"
                + " AND source_system = ? AND status = 'done' AND received_at >= ? AND received_at < ? AND id > ?"
                + " ORDER BY id LIMIT ?",
                Sql.params().text(entity, system).timestamp(java.sql.Timestamp.from(from)).timestamp(java.sql.Timestamp.from(to))
                        .bigint(afterId).integer(limit),
                rows -> new AppliedEvent(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5)));
    }

    /** Events of a record from {@code system} not yet finished (pending or being processed). */
    public long unfinished(String entity, String system, String recordKey) throws SQLException {
        return Sql.count(dataSource, "SELECT count(*) FROM inbox WHERE entity = ? AND source_system = ? AND record_key = ?"
                + " AND status IN ('pending', 'processing')", Sql.params().text(entity, system, recordKey));
    }

    /**
     * The webhook route and apply endpoint that last carried a change of {@code entity} from
     * {@code source} to {@code target} (any record), as the audit log shows: where a re-sync from
     * the master to that target is sent. Empty when none ever has.
     */
    public record ApplyRoute(String webhookRouteId, String applyEndpoint) {
    }

    public Optional<ApplyRoute> lastApplyRoute(String entity, String source, String target) throws SQLException {
        return Sql.optional(dataSource, "SELECT i.route_id, i.apply_endpoint FROM audit_log a JOIN inbox i ON i.id = a.inbox_id"
                + " WHERE a.entity = ? AND a.source_system = ? AND a.target_system = ?"
                + " AND a.action IN ('created', 'updated', 'unchanged') ORDER BY a.id DESC LIMIT 1", Sql.params().text(entity, source, target),
                rows -> new ApplyRoute(rows.getString(1), rows.getString(2)));
    }
}
