package io.syncline.capture;

import io.agroal.api.AgroalDataSource;
import io.syncline.store.Sql;
import io.syncline.store.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The store of table {@code capture_resync}: the reconciliations captures asked for because their
 * change stream lost changes, pending until a run of the job ended. A replica claims a job's
 * pending requests under its Quartz instance; a claim is free again when that replica left the
 * Quartz cluster (its row gone from {@code qrtz_scheduler_state}, as for an abandoned run) or is the
 * claiming replica's own, left by a worker that stopped before it could mark the requests.
 */
@ApplicationScoped
public class CaptureResyncRepository {

    /** The pending requests of one job a replica claimed: one run answers them all. */
    public record Claim(String job, List<String> reasons) {
    }

    /** Whether the claim of the row aliased {@code r} is free for the replica whose instance is the parameter. */
    private static final String FREE = "(r.claimed_by IS NULL OR r.claimed_by = ?"
            + " OR NOT EXISTS (SELECT 1 FROM qrtz_scheduler_state s WHERE s.instance_name = r.claimed_by))";

    @Inject
    AgroalDataSource store;

    /** Records, on the caller's connection and in its transaction, that {@code job} must run for {@code reason}. */
    public void request(Connection connection, String job, String entity, String system, String reason, Instant requestedAt)
            throws SQLException {
        Sql.update(connection, "INSERT INTO capture_resync (job, entity, system_name, reason, requested_at) VALUES (?, ?, ?, ?, ?)",
                Sql.params().text(job, entity, system, reason).timestamp(Timestamp.from(requestedAt)));
    }

    /** The jobs with a pending request whose claim is free for {@code instance}, the longest waiting first. */
    public List<String> claimable(String instance) throws SQLException {
        return Sql.list(store, "SELECT r.job FROM capture_resync r WHERE r.done_at IS NULL AND " + FREE
                + " GROUP BY r.job ORDER BY min(r.id)", Sql.params().text(instance), rows -> rows.getString(1));
    }

    /**
     * Claims every pending request of {@code job} for {@code instance}; empty while another live
     * replica holds a claim on the job (its run may have read the system before these changes were
     * lost: they wait for the next run). The job's pending rows are locked first, so that two
     * replicas claiming at once do not both run it.
     */
    public Optional<Claim> claim(String job, String instance, Instant now) throws SQLException {
        return Transactions.inTransaction(store, connection -> {
            Sql.list(connection, "SELECT id FROM capture_resync WHERE job = ? AND done_at IS NULL ORDER BY id FOR UPDATE",
                    Sql.params().text(job), rows -> rows.getLong(1));
            if (Sql.count(connection, "SELECT count(*) FROM capture_resync r WHERE r.job = ? AND r.done_at IS NULL AND NOT " + FREE,
                    Sql.params().text(job, instance)) > 0) {
                return Optional.empty();
            }
            List<String> reasons = Sql.list(connection, "UPDATE capture_resync SET claimed_by = ?, claimed_at = ? WHERE job = ?"
                    + " AND done_at IS NULL RETURNING reason", Sql.params().text(instance).timestamp(Timestamp.from(now)).text(job),
                    rows -> rows.getString(1));
            return reasons.isEmpty() ? Optional.empty() : Optional.of(new Claim(job, reasons));
        });
    }

    /** Marks done, with the run that answered them and its final status, the requests of {@code job} claimed by {@code instance}. */
    public int done(String job, String instance, long runId, String status, Instant now) throws SQLException {
        return Sql.update(store, "UPDATE capture_resync SET run_id = ?, run_status = ?, done_at = ? WHERE job = ? AND claimed_by = ?"
                + " AND done_at IS NULL", Sql.params().bigint(runId).text(status).timestamp(Timestamp.from(now)).text(job, instance));
    }

    /** Gives back the claim of {@code instance} on the requests of {@code job}: they are pending for any replica again. */
    public int release(String job, String instance) throws SQLException {
        return Sql.update(store, "UPDATE capture_resync SET claimed_by = NULL, claimed_at = NULL WHERE job = ? AND claimed_by = ?"
                + " AND done_at IS NULL", Sql.params().text(job, instance));
    }
}
