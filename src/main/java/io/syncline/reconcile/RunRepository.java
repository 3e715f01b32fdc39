package io.syncline.reconcile;

import io.syncline.store.Sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

/** The {@code reconciliation_run} table: a run starts, finishes with its verdict, and is listed. */
public final class RunRepository {

    /** The counts of a job's last trustworthy run, the yardstick of the truncation guard. */
    public record Baseline(long runId, long recordsA, long recordsB) {
    }

    private static final String COLUMNS = "id, job, entity, side_a, side_b, trigger_kind, dry_run, scheduled_at, instance_id,"
            + " status, reasons, started_at, finished_at, a_records, a_pages, a_reached_end, a_reported_total, a_duplicates,"
            + " a_pulled, b_records, b_pages, b_reached_end, b_reported_total, b_duplicates, b_pulled, only_in_a, only_in_b,"
            + " mismatched, equal_records, in_flight, fixed, quarantined, expected, quality_system, quality_score, strategy, strategy_note,"
            + " requested_by, waiting_until, waiting_reason";

    private final DataSource dataSource;

    public RunRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    long start(ReconciliationJob job, RunTrigger trigger, Instant startedAt) throws SQLException {
        return Sql.insert(dataSource, "INSERT INTO reconciliation_run (job, entity, side_a, side_b, trigger_kind, dry_run, scheduled_at, instance_id,"
                + " started_at, requested_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Sql.params().text(job.name(), job.entity(), job.sideA(), job.sideB(), trigger.kind()).bool(trigger.dryRun())
                        .timestamp(trigger.scheduledAt() == null ? null : Timestamp.from(trigger.scheduledAt())).text(trigger.instanceId())
                        .timestamp(Timestamp.from(startedAt)).text(trigger.requestedBy()));
    }

    /**
     * Marks failed the runs still {@code running} on a replica that is no longer in the Quartz
     * cluster: its row left {@code qrtz_scheduler_state} when another replica found it had stopped
     * checking in, so nobody will finish those runs. Runs without an instance (the benchmark's) are left alone.
     *
     * @return the runs marked
     */
    int failOrphans(String ownInstance, Instant now) throws SQLException {
        return Sql.update(dataSource, "UPDATE reconciliation_run r SET status = 'failed', finished_at = ?, reasons = 'abandoned: replica '"
                + " || r.instance_id || ' stopped before finishing the run' WHERE r.status = 'running'"
                + " AND r.instance_id IS NOT NULL AND r.instance_id <> ?"
                + " AND NOT EXISTS (SELECT 1 FROM qrtz_scheduler_state s WHERE s.instance_name = r.instance_id)",
                Sql.params().timestamp(Timestamp.from(now)).text(ownInstance == null ? "" : ownInstance));
    }

    /** Records the verdict; {@code counts} and {@code quality} are null for a run that did not diff. */
    void finish(long runId, String status, List<String> reasons, SidePull a, SidePull b, ReconciliationRun.Counts counts,
            String qualitySystem, Double quality, Instant finishedAt) throws SQLException {
        Sql.update(dataSource, "UPDATE reconciliation_run SET status = ?, reasons = ?, finished_at = ?, waiting_until = NULL,"
                + " waiting_reason = NULL, a_records = ?, a_pages = ?,"
                + " a_reached_end = ?, a_reported_total = ?, a_duplicates = ?, a_pulled = ?, b_records = ?, b_pages = ?,"
                + " b_reached_end = ?, b_reported_total = ?, b_duplicates = ?, b_pulled = ?, only_in_a = ?, only_in_b = ?,"
                + " mismatched = ?, equal_records = ?, in_flight = ?, fixed = ?, quarantined = ?, expected = ?,"
                + " quality_system = ?, quality_score = ? WHERE id = ?", update -> {
                    int i = 1;
                    update.setString(i++, status);
                    update.setString(i++, reasons.isEmpty() ? null : String.join("\n", reasons));
                    update.setTimestamp(i++, Timestamp.from(finishedAt));
                    i = side(update, i, a);
                    i = side(update, i, b);
                    for (Long count : counts == null ? new Long[8] : new Long[]{counts.onlyInA(), counts.onlyInB(),
                            counts.mismatched(), counts.equal(), counts.inFlight(), counts.fixed(), counts.quarantined(),
                            counts.expected()}) {
                        update.setObject(i++, count, Types.BIGINT);
                    }
                    update.setString(i++, qualitySystem);
                    update.setObject(i++, quality, Types.DOUBLE);
                    update.setLong(i, runId);
                });
    }

    private static int side(PreparedStatement update, int i, SidePull side) throws SQLException {
        var result = side == null ? null : side.result();
        update.setObject(i++, result == null ? null : side.records(), Types.BIGINT);
        update.setObject(i++, result == null ? null : result.pages(), Types.BIGINT);
        update.setObject(i++, result == null ? null : result.reachedEnd(), Types.BOOLEAN);
        update.setObject(i++, result == null ? null : result.reportedTotal(), Types.BIGINT);
        update.setObject(i++, result == null ? null : side.notStaged(), Types.BIGINT);
        update.setObject(i++, result == null ? null : result.records(), Types.BIGINT);
        return i;
    }

    /** The run's pull waits for a source's spent call budget until {@code until}, for {@code reason}; nulls: no more. */
    void waiting(long runId, Instant until, String reason) throws SQLException {
        Sql.update(dataSource, "UPDATE reconciliation_run SET waiting_until = ?, waiting_reason = ? WHERE id = ? AND status = 'running'",
                Sql.params().timestamp(until == null ? null : Timestamp.from(until)).text(reason).bigint(runId));
    }

    /** How the run reads its sides, and why (see {@link PullPlan}). */
    void strategy(long runId, String strategy, String note) throws SQLException {
        Sql.update(dataSource, "UPDATE reconciliation_run SET strategy = ?, strategy_note = ? WHERE id = ?", Sql.params().text(strategy, note).bigint(runId));
    }

    Optional<Baseline> lastTrustworthy(String job, long before) throws SQLException {
        return Sql.optional(dataSource, "SELECT id, a_records, b_records FROM reconciliation_run WHERE job = ? AND status IN ('ok', 'fixes_short') AND id < ?"
                + " ORDER BY id DESC LIMIT 1", Sql.params().text(job).bigint(before), rows -> new Baseline(rows.getLong(1), rows.getLong(2), rows.getLong(3)));
    }

    /** Newest first; {@code job} and {@code status} filter when given. */
    public List<ReconciliationRun> list(String job, String status, int limit) throws SQLException {
        return Sql.list(dataSource, "SELECT " + COLUMNS + " FROM reconciliation_run WHERE (? IS NULL OR job = ?) AND (? IS NULL OR status = ?)"
                + " ORDER BY id DESC LIMIT ?", Sql.params().text(job, job, status, status).integer(limit), rows -> read(rows));
    }

    public Optional<ReconciliationRun> find(long id) throws SQLException {
        return Sql.optional(dataSource, "SELECT " + COLUMNS + " FROM reconciliation_run WHERE id = ?", select -> select.setLong(1, id), rows -> read(rows));
    }

    /** When each job's newest run started, whatever its trigger and outcome: what a schedule's due run is checked against. */
    public Map<String, Instant> lastStarts() throws SQLException {
        Map<String, Instant> starts = new HashMap<>();
        for (Map.Entry<String, Instant> row : Sql.list(dataSource, "SELECT job, MAX(started_at) FROM reconciliation_run GROUP BY job", Sql.NONE,
                rows -> Map.entry(rows.getString(1), rows.getTimestamp(2).toInstant()))) {
            starts.put(row.getKey(), row.getValue());
        }
        return starts;
    }

    /** Finished runs of every job since {@code since}, oldest first: the weekly summary's material. */
    public List<ReconciliationRun> finishedSince(Instant since) throws SQLException {
        return Sql.list(dataSource, "SELECT " + COLUMNS + " FROM reconciliation_run WHERE status <> 'running' AND started_at >= ? ORDER BY id",
                select -> select.setTimestamp(1, Timestamp.from(since)), rows -> read(rows));
    }

    private static ReconciliationRun read(ResultSet rows) throws SQLException {
        String reasons = rows.getString("reasons");
        return new ReconciliationRun(rows.getLong("id"), rows.getString("job"), rows.getString("entity"),
                rows.getString("trigger_kind"), rows.getBoolean("dry_run"), rows.getObject("scheduled_at", OffsetDateTime.class),
                rows.getString("instance_id"), rows.getString("status"),
                reasons == null ? List.of() : Arrays.asList(reasons.split("\n")),
                rows.getObject("started_at", OffsetDateTime.class), rows.getObject("finished_at", OffsetDateTime.class),
                side(rows, "a", rows.getString("side_a")), side(rows, "b", rows.getString("side_b")),
                new ReconciliationRun.Counts(longOrNull(rows, "only_in_a"), longOrNull(rows, "only_in_b"),
                        longOrNull(rows, "mismatched"), longOrNull(rows, "equal_records"), longOrNull(rows, "in_flight"),
                        longOrNull(rows, "fixed"), longOrNull(rows, "quarantined"), longOrNull(rows, "expected")),
                rows.getString("quality_system"), (Double) rows.getObject("quality_score", Double.class),
                rows.getString("strategy"), rows.getString("strategy_note"), rows.getString("requested_by"),
                rows.getObject("waiting_until", OffsetDateTime.class), rows.getString("waiting_reason"));
    }

    private static ReconciliationRun.Side side(ResultSet rows, String prefix, String system) throws SQLException {
        return new ReconciliationRun.Side(system, longOrNull(rows, prefix + "_records"), longOrNull(rows, prefix + "_pages"),
                (Boolean) rows.getObject(prefix + "_reached_end", Boolean.class), longOrNull(rows, prefix + "_reported_total"),
                longOrNull(rows, prefix + "_duplicates"), longOrNull(rows, prefix + "_pulled"));
    }

    private static Long longOrNull(ResultSet rows, String column) throws SQLException {
        return (Long) rows.getObject(column, Long.class);
    }
}
