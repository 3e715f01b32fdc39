package io.syncline.inbox;

import io.agroal.api.AgroalDataSource;
import io.syncline.exchange.ExchangeContract;
import io.syncline.store.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A backfill run's events in the inbox ({@link ExchangeContract#ORIGIN_BACKFILL}, under the run's
 * route id {@code backfill:<job id>}): how far they are, what became of them, and their withdrawal
 * when the run is cancelled. The backfill puts them in through {@link InboxEnqueuer}. What became
 * of a run's records is the audit's: of its inbox events, joined by inbox id, and of the records
 * applied with their page, which have no inbox event and carry the run's id
 * ({@code audit_log_run_idx}).
 */
@ApplicationScoped
public class BackfillEvents {

    @Inject
    AgroalDataSource dataSource;
    private final Clock clock = Clock.systemUTC();

    /** How many of a backfill run's events are in each status. */
    public Map<String, Long> statuses(String routeId) throws SQLException {
        return counts("SELECT status, count(*) FROM inbox WHERE origin = 'backfill' AND route_id = ? GROUP BY status", routeId);
    }

    /** What the audit says became of a backfill run's events, by audit action. */
    public Map<String, Long> outcomes(String routeId) throws SQLException {
        return counts("SELECT action, count(*) FROM (SELECT a.action FROM inbox i JOIN audit_log a ON a.inbox_id = i.id"
                + " WHERE i.origin = 'backfill' AND i.route_id = ? UNION ALL SELECT action FROM audit_log"
                + " WHERE run_id = ? AND inbox_id IS NULL) outcomes GROUP BY action", routeId, routeId);
    }

    /** What the audit says became of a backfill run's events of one entity, by target and audit action. */
    public Map<String, Map<String, Long>> outcomes(String routeId, String entity) throws SQLException {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT coalesce(target_system, 'unknown') AS target, action, count(*) FROM ("
                        + "SELECT a.target_system, a.action FROM inbox i JOIN audit_log a ON a.inbox_id = i.id"
                        + " WHERE i.origin = 'backfill' AND i.route_id = ? AND i.entity = ?"
                        + " UNION ALL SELECT target_system, action FROM audit_log WHERE run_id = ? AND inbox_id IS NULL AND entity = ?"
                        + ") outcomes GROUP BY target, action ORDER BY target, action")) {
            select.setString(1, routeId);
            select.setString(2, entity);
            select.setString(3, routeId);
            select.setString(4, entity);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counts.computeIfAbsent(rows.getString(1), target -> new LinkedHashMap<>()).put(rows.getString(2), rows.getLong(3));
                }
            }
        }
        return counts;
    }

    /**
     * How many of a backfill run's events wait to be applied (pending or being applied). Counted
     * in the range of {@code inbox_backfill_idx} that holds them alone: the runner asks after each
     * page and while it waits, and counting every status would read all the run's events each time.
     */
    public long open(String routeId) throws SQLException {
        return counts("SELECT 'open', count(*) FROM inbox WHERE origin = 'backfill' AND route_id = ?"
                + " AND status IN ('pending', 'processing')", routeId).getOrDefault("open", 0L);
    }

    /**
     * A cancelled backfill's events that no worker has begun: refused with {@code reason}, never
     * applied. An event being applied finishes as it would.
     *
     * @return how many were withdrawn
     */
    public int withdraw(String routeId, String reason) throws SQLException {
        return Sql.update(dataSource, "UPDATE inbox SET status = 'refused', last_error = ?, finished_at = ? WHERE origin = 'backfill'"
                + " AND route_id = ? AND status = 'pending'", Sql.params().text(reason).timestamp(Timestamp.from(clock.instant())).text(routeId));
    }

    private Map<String, Long> counts(String sql, String... routeIds) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < routeIds.length; i++) {
                select.setString(i + 1, routeIds[i]);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return counts;
    }
}
