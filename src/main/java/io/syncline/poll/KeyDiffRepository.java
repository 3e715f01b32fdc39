package io.syncline.poll;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.store.Sql;
import io.syncline.store.Upsert;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The store of table {@code key_diff}: the last key diff of each polled system whose deletions it
 * finds, and a person's confirmation of a run that was refused. A completed run (deleted or
 * refused) uses up the confirmation, so that one given for a number of deletions never lets a
 * later, different loss through; a failed run leaves it for the next.
 */
@ApplicationScoped
public class KeyDiffRepository {

    /** What a run did. */
    public enum Outcome {
        deleted, refused, failed
    }

    /**
     * A key diff's last run.
     *
     * @param known            keys Syncline knew for the system
     * @param missing          of those, the keys the system no longer has
     * @param deleted          deletions the run put into the inbox (new ones: a deletion already there is not put twice)
     * @param detail           why it was refused or failed
     * @param confirmedDeletes how many deletions a person confirmed for the next run, after a refusal
     */
    @RegisterForReflection
    public record Run(String entity, String system, Instant ranAt, Outcome outcome, Long known, Long missing, Long deleted,
            String detail, Long confirmedDeletes, String confirmedBy, Instant confirmedAt) {
    }

    private static final String COLUMNS = "entity, source_system, ran_at, outcome, known, missing, deleted, detail,"
            + " confirmed_deletes, confirmed_by, confirmed_at";
    private static final List<String> KEY = List.of("entity", "source_system");
    private static final List<String> RAN = List.of("ran_at", "outcome", "known", "missing", "deleted", "detail");
    /** A failed run leaves the confirmation for the next. */
    private static final Upsert SAVE_FAILED = Upsert.of("key_diff", KEY, RAN);
    private static final Upsert SAVE_COMPLETED = Upsert.of("key_diff", KEY, RAN,
            "confirmed_deletes = NULL, confirmed_by = NULL, confirmed_at = NULL");

    @Inject
    AgroalDataSource dataSource;

    /** The last run of the key diff of {@code entity} in {@code system}; empty before its first. */
    public Optional<Run> find(String entity, String system) throws SQLException {
        return Sql.optional(dataSource, "SELECT " + COLUMNS + " FROM key_diff WHERE entity = ? AND source_system = ?", Sql.params().text(entity, system),
                KeyDiffRepository::run);
    }

    /** The key diffs whose last run was refused or failed: what someone must look at. */
    public List<Run> needingAttention() throws SQLException {
        return Sql.list(dataSource, "SELECT " + COLUMNS + " FROM key_diff WHERE outcome <> 'deleted' ORDER BY entity, source_system",
                Sql.NONE, KeyDiffRepository::run);
    }

    /** The deletions a person confirmed for this run, locked until the caller's transaction ends; null when none. */
    Long confirmedDeletes(Connection connection, String entity, String system) throws SQLException {
        return Sql.optional(connection, "SELECT confirmed_deletes FROM key_diff WHERE entity = ? AND source_system = ? FOR UPDATE",
                Sql.params().text(entity, system), rows -> (Long) rows.getObject(1, Long.class)).orElse(null);
    }

    /** Records a run on the caller's connection (its transaction); a completed run uses up the confirmation. */
    void save(Connection connection, Run run) throws SQLException {
        (run.outcome() == Outcome.failed ? SAVE_FAILED : SAVE_COMPLETED).write(connection, new Upsert.Row(
                Sql.params().text(run.entity(), run.system()),
                Sql.params().timestamp(Timestamp.from(run.ranAt())).text(run.outcome().name()).object(run.known(), Types.BIGINT)
                        .object(run.missing(), Types.BIGINT).object(run.deleted(), Types.BIGINT).text(run.detail())));
    }

    /** Records a failed run on a connection of its own: the run's transaction has rolled back. */
    void saveFailure(String entity, String system, Instant ranAt, String detail) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            save(connection, new Run(entity, system, ranAt, Outcome.failed, null, null, null, detail, null, null, null));
        }
    }

    /**
     * A person's confirmation that the next run may delete as many records as the last, refused,
     * run found gone; empty when the last run was not refused (nothing to confirm).
     */
    public Optional<Run> confirm(String entity, String system, String by) throws SQLException {
        if (Sql.update(dataSource, "UPDATE key_diff SET confirmed_deletes = missing, confirmed_by = ?, confirmed_at = ?"
                + " WHERE entity = ? AND source_system = ? AND outcome = 'refused'",
                Sql.params().text(by).timestamp(Timestamp.from(Instant.now())).text(entity, system)) == 0) {
            return Optional.empty();
        }
        return find(entity, system);
    }

    private static Run run(ResultSet rows) throws SQLException {
        Timestamp confirmedAt = rows.getTimestamp(11);
        return new Run(rows.getString(1), rows.getString(2), rows.getTimestamp(3).toInstant(),
                Outcome.valueOf(rows.getString(4)), rows.getObject(5, Long.class), rows.getObject(6, Long.class),
                rows.getObject(7, Long.class), rows.getString(8), rows.getObject(9, Long.class), rows.getString(10),
                confirmedAt == null ? null : confirmedAt.toInstant());
    }
}
