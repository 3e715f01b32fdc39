package io.syncline.reconcile;

import io.syncline.model.JdbcSystem;
import io.syncline.model.ReconciliationDefinition;
import io.syncline.model.SyncModel;
import io.syncline.reconcile.bisect.ChecksumBisection;
import io.syncline.reconcile.bisect.ChecksumForm;
import io.syncline.reconcile.pull.JdbcKeysetPuller;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Decides what a run pulls. A {@code bisection} job whose two databases can checksum what its
 * contracts compare pulls only the keys whose checksums differ; any other job, and a bisection job
 * that cannot or need not bisect, pulls every record, with the reason in the run's record.
 */
final class PullPlanner {

    private static final Logger LOG = Logger.getLogger(PullPlanner.class);
    /** Records of differing segments compared one by one in memory: about 10 MB at most. */
    private static final long ROW_LIMIT = 100_000;
    /** Beyond a tenth of a side in differing segments, pulling it whole is cheaper than pulling by key. */
    private static final double MAX_SHARE = 0.1;

    private final JdbcKeysetPuller.Connections connections;
    private final ChecksumBisection bisection = new ChecksumBisection(ROW_LIMIT, MAX_SHARE);

    PullPlanner(JdbcKeysetPuller.Connections connections) {
        this.connections = connections;
    }

    PullPlan plan(ReconciliationJob job, SyncModel model) throws InterruptedException {
        if (job.strategy() != ReconciliationDefinition.Strategy.BISECTION) {
            return PullPlan.full(null);
        }
        var entity = model.entities().get(job.entity());
        try (Connection a = connections.open((JdbcSystem) model.systems().get(job.sideA()));
             Connection b = connections.open((JdbcSystem) model.systems().get(job.sideB()))) {
            long started = System.nanoTime();
            ChecksumForm formA = ChecksumBisection.form(job.sideA(), a, entity, entity.mappings().get(job.sideA()), job.compare());
            ChecksumForm formB = ChecksumBisection.form(job.sideB(), b, entity, entity.mappings().get(job.sideB()), job.compare());
            ChecksumBisection.Outcome outcome = bisection.run(new ChecksumBisection.Side(job.sideA(), a, formA),
                    new ChecksumBisection.Side(job.sideB(), b, formB));
            LOG.infof("Reconciliation %s: checksums in %d ms: %s", job.name(), (System.nanoTime() - started) / 1_000_000,
                    outcome.summary());
            return PullPlan.bisection(outcome);
        } catch (ChecksumForm.NotExpressible | ChecksumBisection.Fallback e) {
            return fallback(job, e.getMessage());
        } catch (SQLException e) {
            // The full pull will meet the same database: if it fails too, the run says so as untrustworthy.
            return fallback(job, "computing checksums failed: " + e.getMessage());
        }
    }

    private static PullPlan fallback(ReconciliationJob job, String reason) {
        LOG.infof("Reconciliation %s pulls in full: %s", job.name(), reason);
        return PullPlan.full("pulled in full: " + reason);
    }
}
