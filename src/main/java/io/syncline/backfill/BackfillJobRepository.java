package io.syncline.backfill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.syncline.store.Rows;
import io.syncline.store.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The store of tables {@code backfill_job} and {@code backfill_item}: backfills' jobs and their dry runs' reports. */
@ApplicationScoped
public class BackfillJobRepository {

    private static final TypeReference<Map<String, Map<String, Long>>> OUTCOMES = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Long>> COUNTS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, EntityCounts>> ENTITY_COUNTS = new TypeReference<>() {
    };
    private static final String COLUMNS = "id, backfill, entity, source_system, targets, kind, dry_run_id, status, checkpoint,"
            + " pages, records_read, records_filtered, events_stored, outcomes, target_records, confirmed, requested_by,"
            + " owner, heartbeat_at, created_at, started_at, read_done_at, finished_at, error, entities, entity_counts, events_applied";

    @Inject
    AgroalDataSource dataSource;
    @Inject
    ObjectMapper json;

    /** A new job, queued for the next runner that looks. */
    public long create(String backfill, List<String> entities, String source, List<String> targets, BackfillJob.Kind kind,
            Long dryRunId, boolean confirmed, String requestedBy) throws SQLException {
        return Sql.insert(dataSource, "INSERT INTO backfill_job (backfill, entity, entities, source_system, targets, kind, dry_run_id, confirmed,"
                + " requested_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Sql.params().text(backfill, entities.get(0), String.join(",", entities), source, String.join(",", targets), kind.name())
                        .object(dryRunId).bool(confirmed).text(requestedBy));
    }

    public Optional<BackfillJob> find(long id) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, id, false);
        }
    }

    /** The job, on the caller's connection; {@code lock}: held until its transaction ends (a runner's page commit). */
    Optional<BackfillJob> find(Connection connection, long id, boolean lock) throws SQLException {
        return Sql.optional(connection, "SELECT " + COLUMNS + " FROM backfill_job WHERE id = ?"
                + (lock ? " FOR UPDATE" : ""), select -> select.setLong(1, id), rows -> job(rows));
    }

    /**
     * When the newest completed run of a backfill of {@code entity} from {@code source} began
     * reading it (the first start, a run taken over after a crash included); empty when none has
     * completed. A change poll of that source starts there ({@code polls.<system>.startAt}).
     */
    public Optional<Instant> lastCompletedRunStart(Connection connection, String entity, String source) throws SQLException {
        // a backfill of several entities lists them in entities, and is on its last one when it completes
        return Sql.optional(connection, "SELECT started_at FROM backfill_job WHERE (entity = ?"
                + " OR ',' || entities || ',' LIKE '%,' || ? || ',%' ESCAPE '!') AND source_system = ? AND kind = 'run'"
                + " AND status = 'completed' AND started_at IS NOT NULL ORDER BY id DESC LIMIT 1",
                Sql.params().text(entity, entity.replace("!", "!!").replace("%", "!%").replace("_", "!_"), source),
                rows -> rows.getTimestamp(1).toInstant());
    }

    /** The newest jobs, of one backfill or all, newest first. */
    public List<BackfillJob> list(String backfill, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM backfill_job WHERE (? IS NULL OR backfill = ?) ORDER BY id DESC LIMIT ?")) {
            select.setString(1, backfill);
            select.setString(2, backfill);
            select.setInt(3, limit);
            return Rows.list(select, this::job);
        }
    }

    /**
     * Takes the oldest job that is queued, or running under a heartbeat older than {@code staleBefore}
     * (its runner died), for {@code owner}: running, heartbeat now.
     */
    public Optional<BackfillJob> claim(String owner, Instant now, Instant staleBefore) throws SQLException {
        return Sql.optional(dataSource, "UPDATE backfill_job SET status = 'running', owner = ?, heartbeat_at = ?, progressed_at = ?,"
                + " started_at = COALESCE(started_at, ?)"
                + " WHERE id = (SELECT id FROM backfill_job WHERE status = 'queued'"
                + " OR (status = 'running' AND heartbeat_at < ?) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)"
                + " RETURNING " + COLUMNS,
                Sql.params().text(owner).timestamp(Timestamp.from(now)).timestamp(Timestamp.from(now)).timestamp(Timestamp.from(now))
                        .timestamp(Timestamp.from(staleBefore)),
                rows -> job(rows));
    }

    /** What one committed page moved on, in the page's transaction. */
    /**
     * @param eventsStored a run's records times their targets: applied with the page, or put into the inbox
     * @param applied      of those, the ones applied with the page ({@link AppliedPages})
     */
    record Page(String checkpoint, long records, long filtered, long eventsStored, long applied,
            Map<String, Map<String, Long>> outcomes) {
    }

    /** Records a page on the caller's connection (its transaction, which holds the job's lock). */
    void pageDone(Connection connection, long id, Page page, Instant now) throws SQLException {
        Sql.update(connection, "UPDATE backfill_job SET checkpoint = ?, pages = pages + 1,"
                + " records_read = records_read + ?, records_filtered = records_filtered + ?,"
                + " events_stored = events_stored + ?, events_applied = events_applied + ?, outcomes = ?, heartbeat_at = ?,"
                + " progressed_at = ? WHERE id = ?",
                Sql.params().text(page.checkpoint()).bigint(page.records()).bigint(page.filtered()).bigint(page.eventsStored())
                        .bigint(page.applied()).text(write(page.outcomes()))
                        .timestamp(Timestamp.from(now)).timestamp(Timestamp.from(now)).bigint(id));
    }

    /**
     * The job is done with its entity {@code entity}, counted {@code counts}: on to {@code next}
     * (its read from the start), or, with none, to its end.
     */
    void entityDone(long id, String owner, String entity, EntityCounts counts, String next) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                BackfillJob job = find(connection, id, true).orElseThrow(() -> new BackfillStoppedException(id));
                if (job.status() != BackfillJob.Status.running || !owner.equals(job.owner())) {
                    throw new BackfillStoppedException(id);
                }
                Map<String, EntityCounts> done = new LinkedHashMap<>(job.entityCounts());
                done.put(entity, counts);
                Sql.update(connection, "UPDATE backfill_job SET entity_counts = ?, entity = ?, checkpoint = ?, read_done_at = ?,"
                        + " progressed_at = ? WHERE id = ?",
                        Sql.params().text(write(done), next == null ? entity : next,
                                next == null ? job.checkpoint() : null).timestamp(
                                        next == null && job.readDoneAt() != null
                                                ? Timestamp.from(job.readDoneAt()) : null)
                                .timestamp(Timestamp.from(Instant.now())).bigint(id));
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /**
     * The running jobs that have not moved on (a page stored, a run's events applied, an entity
     * done, the job claimed) since {@code before}: a runner alive but stuck on a page, or one whose source no longer answers.
     */
    long stalled(Instant before) throws SQLException {
        return Sql.count(dataSource, "SELECT count(*) FROM backfill_job WHERE status = 'running' AND progressed_at < ?",
                Sql.params().timestamp(Timestamp.from(before)));
    }

    /** The runner is alive; false when the job is no longer its own (paused, cancelled, taken over). */
    boolean heartbeat(long id, String owner, Instant now) throws SQLException {
        return Sql.update(dataSource, "UPDATE backfill_job SET heartbeat_at = ? WHERE id = ? AND owner = ? AND status = 'running'",
                Sql.params().timestamp(Timestamp.from(now)).bigint(id).text(owner)) == 1;
    }

    /** Everything is read: the run now waits for its events to be applied. */
    void readDone(long id, String owner, Instant now) throws SQLException {
        update("UPDATE backfill_job SET read_done_at = COALESCE(read_done_at, ?), progressed_at = ? WHERE id = ? AND owner = ?",
                Timestamp.from(now), Timestamp.from(now), id, owner);
    }

    /** The runner's job moved on without a page: events of its run were applied. */
    void progressed(long id, String owner, Instant now) throws SQLException {
        update("UPDATE backfill_job SET progressed_at = ? WHERE id = ? AND owner = ?", Timestamp.from(now), id, owner);
    }

    /** Ends the runner's job: completed (with each target's record count for a dry run) or failed with the reason. */
    boolean finish(long id, String owner, BackfillJob.Status status, Map<String, Long> targetRecords, String error, Instant now)
            throws SQLException {
        return update("UPDATE backfill_job SET status = ?, target_records = COALESCE(?, target_records), error = ?,"
                + " finished_at = ? WHERE id = ? AND owner = ? AND status = 'running'",
                status.name(), targetRecords == null ? null : write(targetRecords), error, Timestamp.from(now), id, owner) == 1;
    }

    /**
     * Moves a job from one of the statuses {@code from} to {@code to} (pause, resume, cancel).
     *
     * @return false when it was in none of them
     */
    public boolean transition(long id, List<BackfillJob.Status> from, BackfillJob.Status to, Instant now) throws SQLException {
        String placeholders = String.join(", ", from.stream().map(status -> "?").toList());
        List<Object> parameters = new ArrayList<>(List.of(to.name(), to.ended() ? Timestamp.from(now) : "", id));
        if (!to.ended()) {
            parameters.set(1, null);
        }
        from.forEach(status -> parameters.add(status.name()));
        // a job queued again (resumed) is any runner's to take
        return update("UPDATE backfill_job SET status = ?, finished_at = ?" + (to == BackfillJob.Status.queued ? ", owner = NULL" : "")
                + " WHERE id = ? AND status IN (" + placeholders + ")", parameters.toArray()) == 1;
    }

    /** A dry run's findings for one page, on the caller's connection; a record reported before (a resumed page) is kept as it was. */
    int report(Connection connection, long jobId, String entity, List<BackfillItem> items) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO backfill_item (job_id, target, source_key, seq,"
                + " outcome, target_id, match_rule, changes, reason, entity, unresolved) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
            for (BackfillItem item : items) {
                insert.setString(10, entity);
                insert.setInt(11, item.unresolved());
                insert.setLong(1, jobId);
                insert.setString(2, item.target());
                insert.setString(3, item.sourceKey());
                insert.setLong(4, item.seq());
                insert.setString(5, item.outcome());
                insert.setString(6, item.targetId());
                insert.setString(7, item.matchRule());
                insert.setString(8, item.changes() == null || item.changes().isEmpty() ? null : write(item.changes()));
                insert.setString(9, item.reason());
                insert.addBatch();
            }
            return Arrays.stream(insert.executeBatch()).map(rows -> rows == Statement.SUCCESS_NO_INFO ? 1 : rows).sum();
        }
    }

    /**
     * A dry run's counts by target and outcome, counted anew from its report (a page read twice
     * counts once), with each target's {@code unresolved} references where there are any: of the
     * whole job, and of the entity {@code entity}.
     */
    Counted countReport(long jobId, String entity) throws SQLException {
        Map<String, Map<String, Long>> outcomes = new LinkedHashMap<>();
        Map<String, Map<String, Long>> ofEntity = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT entity, target, outcome, count(*), sum(unresolved) FROM backfill_item WHERE job_id = ?"
                        + " GROUP BY entity, target, outcome ORDER BY entity, target, outcome")) {
            select.setLong(1, jobId);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    List<Map<String, Map<String, Long>>> into = entity.equals(rows.getString(1)) ? List.of(outcomes, ofEntity)
                            : List.of(outcomes);
                    for (Map<String, Map<String, Long>> counts : into) {
                        Map<String, Long> target = counts.computeIfAbsent(rows.getString(2), t -> new LinkedHashMap<>());
                        target.merge(rows.getString(3), rows.getLong(4), Long::sum);
                        if (rows.getLong(5) > 0) {
                            target.merge("unresolved", rows.getLong(5), Long::sum);
                        }
                    }
                }
            }
        }
        update("UPDATE backfill_job SET outcomes = ? WHERE id = ?", write(outcomes), jobId);
        return new Counted(outcomes, ofEntity);
    }

    /** A dry run's counts: of the whole job, and of one entity. */
    record Counted(Map<String, Map<String, Long>> outcomes, Map<String, Map<String, Long>> ofEntity) {
    }

    /**
     * Whether a dry run reported the record {@code sourceKey} of {@code entity} as created, updated
     * or unchanged in {@code target}: the run then has it linked there before any later record.
     */
    boolean reported(long jobId, String entity, String target, String sourceKey) throws SQLException {
        return Sql.optional(dataSource, "SELECT 1 FROM backfill_item WHERE job_id = ? AND entity = ? AND target = ? AND source_key = ?"
                + " AND outcome IN ('create', 'update', 'unchanged')", Sql.params().bigint(jobId).text(entity, target, sourceKey),
                rows -> true).isPresent();
    }

    /**
     * A page of a dry run's report in source order after record {@code afterSeq}, optionally of one
     * outcome: about {@code limit} lines, a record's lines (one per target) never split between pages.
     */
    public List<BackfillItem> items(long jobId, String outcome, long afterSeq, int limit) throws SQLException {
        String where = " WHERE job_id = ? AND (CAST(? AS VARCHAR) IS NULL OR outcome = ?) AND seq > ?";
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT target, source_key, seq, outcome, target_id, match_rule, changes, reason, entity, unresolved FROM backfill_item"
                        + where
                        + " AND seq <= (SELECT max(seq) FROM (SELECT seq FROM backfill_item" + where + " ORDER BY seq LIMIT ?) page)"
                        + " ORDER BY seq, target")) {
            for (int offset : new int[]{0, 4}) {
                select.setLong(offset + 1, jobId);
                select.setString(offset + 2, outcome);
                select.setString(offset + 3, outcome);
                select.setLong(offset + 4, afterSeq);
            }
            select.setInt(9, limit);
            List<BackfillItem> items = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String changes = rows.getString(7);
                    items.add(new BackfillItem(rows.getString(1), rows.getString(2), rows.getLong(3), rows.getString(4),
                            rows.getString(5), rows.getString(6),
                            changes == null ? Map.of() : json.readValue(changes, BackfillItem.CHANGES), rows.getString(8),
                            rows.getString(9), rows.getInt(10)));
                }
            } catch (JsonProcessingException e) {
                throw new SQLException("backfill_item.changes of job " + jobId + " is not JSON: " + e.getOriginalMessage(), e);
            }
            return items;
        }
    }

    private int update(String sql, Object... parameters) throws SQLException {
        return Sql.update(dataSource, sql, update -> {
            for (int i = 0; i < parameters.length; i++) {
                update.setObject(i + 1, parameters[i]);
            }
        });
    }

    private BackfillJob job(ResultSet rows) throws SQLException {
        String targets = rows.getString(5);
        Long dryRunId = rows.getObject(7) == null ? null : rows.getLong(7);
        String entities = rows.getString(25);
        return new BackfillJob(rows.getLong(1), rows.getString(2), rows.getString(3),
                entities == null ? List.of(rows.getString(3)) : List.of(entities.split(",")), rows.getString(4),
                targets.isEmpty() ? List.of() : List.of(targets.split(",")), BackfillJob.Kind.valueOf(rows.getString(6)), dryRunId,
                BackfillJob.Status.valueOf(rows.getString(8)), rows.getString(9), rows.getLong(10), rows.getLong(11),
                rows.getLong(12), rows.getLong(13), read(rows.getString(14), OUTCOMES, new LinkedHashMap<>()),
                read(rows.getString(15), COUNTS, null), rows.getBoolean(16), rows.getString(17), rows.getString(18),
                instant(rows, 19), instant(rows, 20), instant(rows, 21), instant(rows, 22), instant(rows, 23),
                rows.getString(24), read(rows.getString(26), ENTITY_COUNTS, new LinkedHashMap<>()), rows.getLong(27));
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        Timestamp at = rows.getTimestamp(column);
        return at == null ? null : at.toInstant();
    }

    private <T> T read(String text, TypeReference<T> type, T none) throws SQLException {
        try {
            return text == null ? none : json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new SQLException("backfill_job holds a count that is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private String write(Object value) throws SQLException {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot write " + value + " as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
