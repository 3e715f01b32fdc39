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
