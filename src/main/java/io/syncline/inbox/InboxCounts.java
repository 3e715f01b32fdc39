package io.syncline.inbox;

import io.agroal.api.AgroalDataSource;
import io.syncline.drift.MappingPausedException;
import io.syncline.store.BySource;
import io.syncline.store.Sql;
import io.syncline.sync.ParentNotLinkedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the console and the gauges count in the inbox: read only, whichever transport the events
 * came by ({@code syncline.inbox.mode}), since both keep them as rows of the {@code inbox} table.
 */
@ApplicationScoped
public class InboxCounts {

    @Inject
    AgroalDataSource dataSource;

    /**
     * Of an event of the {@code inbox} table: whether a schema drift pauses its mapping (entity from
     * its source system), whether or not the event has been tried since.
     */
    private static final String PAUSED = "EXISTS (SELECT 1 FROM schema_drift d WHERE d.status = 'paused'"
            + " AND d.entity = inbox.entity AND d.source_system = inbox.source_system)";

    /**
     * Events accepted and not yet finished (pending or processing), all sources together, those
     * waiting for their mapping paused by a schema drift aside ({@link #pausedByDrift}):
     * {@code syncline_inbox_depth}, the work the replicas can do.
     */
    public long depth() throws SQLException {
        // one count per status: each reads its own small index (V18) where an IN would read the table
        return Sql.count(dataSource, "SELECT (SELECT count(*) FROM inbox WHERE status = 'pending' AND NOT " + PAUSED + ")"
                + " + (SELECT count(*) FROM inbox WHERE status = 'processing')", Sql.NONE);
    }

    /**
     * Events pending whose mapping a schema drift pauses, tried or not: {@code syncline_inbox_paused}.
     * They wait for an admin's decision (SynclineMappingPaused), not for a replica.
     */
    public long pausedByDrift() throws SQLException {
        return Sql.count(dataSource, "SELECT count(*) FROM inbox WHERE status = 'pending' AND " + PAUSED, Sql.NONE);
    }

    /**
     * Events pending because a record they carry names a record not linked yet, whose reason says
     * so ({@link ParentNotLinkedException#REASON_PREFIX}): {@code syncline_inbox_waiting_for_parent}.
     */
    public long waitingForParent() throws SQLException {
        return Sql.count(dataSource, "SELECT count(*) FROM inbox WHERE status = 'pending' AND last_error LIKE ?",
                Sql.params().text(ParentNotLinkedException.REASON_PREFIX + "%"));
    }

    /**
     * When the event accepted first among those not yet finished was received, events waiting for
     * a record they name aside (they have their own bounded wait, {@link #waitingForParent}), and
     * those of a mapping paused by a schema drift, tried or not (their own alert, SynclineMappingPaused,
     * and gauge, {@link #pausedByDrift}); empty when none waits. Acceptance order is id order: each status is walked in its index
     * ({@code inbox_status_idx}) up to the first such event, never read whole.
     */
    public Optional<Instant> oldestWaitingSince() throws SQLException {
        Optional<Instant> oldest = Optional.empty();
        for (String status : List.of("pending", "processing")) {
            Optional<Instant> first = Sql.optional(dataSource, "SELECT received_at FROM inbox WHERE status = ?"
                    + " AND (last_error IS NULL OR (last_error NOT LIKE ? AND last_error NOT LIKE ?)) AND NOT " + PAUSED
                    + " ORDER BY id LIMIT 1",
                    Sql.params().text(status, ParentNotLinkedException.REASON_PREFIX + "%",
                            MappingPausedException.REASON_PREFIX + "%"),
                    rows -> rows.getTimestamp(1).toInstant());
            if (first.isPresent() && (oldest.isEmpty() || first.get().isBefore(oldest.get()))) {
                oldest = first;
            }
        }
        return oldest;
    }

    /** Events accepted since {@code since}, per entity and source system. */
    public List<BySource<Long>> acceptedSince(Instant since) throws SQLException {
        return BySource.counts(dataSource, "FROM inbox WHERE received_at >= ?", since);
    }

    /** Events applied (done) since {@code since}, per entity and source system. */
    public List<BySource<Long>> appliedSince(Instant since) throws SQLException {
        return BySource.counts(dataSource, "FROM inbox WHERE status = 'done' AND finished_at >= ?", since);
    }

    /** Events waiting (pending or processing), per entity and source system. */
    public List<BySource<Long>> waiting() throws SQLException {
        return BySource.counts(dataSource, "FROM inbox WHERE status IN ('pending', 'processing')");
    }

    /** Events pending for a record they name that is not linked yet ({@link #waitingForParent}), per entity and source system. */
    public List<BySource<Long>> waitingForParents() throws SQLException {
        return Sql.list(dataSource, "SELECT entity, source_system, count(*) FROM inbox WHERE status = 'pending'"
                + " AND last_error LIKE ? GROUP BY entity, source_system",
                Sql.params().text(ParentNotLinkedException.REASON_PREFIX + "%"),
                rows -> new BySource<>(rows.getString(1), rows.getString(2), rows.getLong(3)));
    }

    /** When the oldest waiting event was accepted, per entity and source system. */
    public List<BySource<Instant>> oldestWaiting() throws SQLException {
        return BySource.times(dataSource, "SELECT entity, source_system, min(received_at) FROM inbox"
                + " WHERE status IN ('pending', 'processing') GROUP BY entity, source_system");
    }

    /** What is told, one by one, each event applied since a time: when it was accepted and when applied. */
    @FunctionalInterface
    public interface AppliedEvents {

        void applied(Instant received, Instant finished);
    }

    /** Every event applied (done) since {@code since}, read as a stream: a day's events need not fit in memory. */
    public void forEachApplied(Instant since, AppliedEvents events) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT received_at, finished_at FROM inbox WHERE status = 'done' AND finished_at >= ?")) {
            select.setTimestamp(1, Timestamp.from(since));
            select.setFetchSize(1000);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    events.applied(rows.getTimestamp(1).toInstant(), rows.getTimestamp(2).toInstant());
                }
            }
        }
    }

    /** How many of the events {@code ids} are in each status. */
    public Map<String, Long> countByStatus(Collection<Long> ids) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return counts;
        }
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT status, count(*) FROM inbox WHERE id = ANY (?) GROUP BY status")) {
            select.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return counts;
    }
}
