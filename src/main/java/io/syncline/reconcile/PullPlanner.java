package io.syncline.reconcile;

import io.syncline.connector.spi.SqlDatabase;
import io.syncline.connector.spi.SqlDatabases;
import io.syncline.model.EntityDefinition;
import io.syncline.model.ReconciliationDefinition;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemMapping;
import io.syncline.reconcile.bisect.BothSides;
import io.syncline.reconcile.bisect.ChecksumBisection;
import io.syncline.reconcile.bisect.ChecksumForm;
import io.syncline.reconcile.bisect.ChecksumTriggers;
import io.syncline.reconcile.bisect.ComputedChecksums;
import io.syncline.reconcile.bisect.MaintainedChecksums;
import io.syncline.reconcile.bisect.SegmentChecksums;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides what a run pulls. A {@code bisection} job whose two databases can checksum what its
 * contracts compare pulls only the keys whose checksums differ; any other job, and a bisection job
 * that cannot or need not bisect, pulls every record, with the reason in the run's record. With
 * {@code checksums: maintained}, each side's checksums are read from what its database keeps
 * (installed on the first run that is not a dry run); a side that cannot keep them has its
 * checksums computed, and the run's note says why.
 */
final class PullPlanner {

    private static final Logger LOG = Logger.getLogger(PullPlanner.class);
    /** Records of differing segments compared one by one in memory: about 10 MB at most. */
    private static final long ROW_LIMIT = 100_000;
    /** Beyond a tenth of a side in differing segments, pulling it whole is cheaper than pulling by key. */
    private static final double MAX_SHARE = 0.1;

    private final SqlDatabases databases;
    private final ChecksumBisection bisection = new ChecksumBisection(ROW_LIMIT, MAX_SHARE);

    PullPlanner(SqlDatabases databases) {
        this.databases = databases;
    }

    PullPlan plan(ReconciliationJob job, SyncModel model, boolean dryRun) throws InterruptedException {
        if (job.strategy() != ReconciliationDefinition.Strategy.BISECTION) {
            return PullPlan.full(null);
        }
        EntityDefinition entity = model.entities().get(job.entity());
        try (Connection a = open(job.sideA());
                Connection b = open(job.sideB())) {
            long started = System.nanoTime();
            // Each side's catalog reads (and a first install) wait on its own database: both at once.
            BothSides.Results<SegmentChecksums> sides = BothSides.run("reconcile-" + job.name() + "-checksums-b",
                    () -> checksums(job, job.sideA(), a, entity, dryRun), () -> checksums(job, job.sideB(), b, entity, dryRun));
            ChecksumBisection.Outcome outcome = bisection.run(sides.a(), sides.b());
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

    private SegmentChecksums checksums(ReconciliationJob job, String system, Connection connection, EntityDefinition entity,
            boolean dryRun) throws SQLException, ChecksumForm.NotExpressible {
        SystemMapping mapping = entity.mappings().get(system);
        String table = databases.of(system).map(database -> database.table(mapping)).orElse(null);
        ChecksumForm form = ChecksumBisection.form(system, connection, entity, mapping, table, job.compare());
        if (job.checksums() != ReconciliationDefinition.Checksums.MAINTAINED) {
            return new ComputedChecksums(system, connection, form, null);
        }
        try {
            return MaintainedChecksums.open(job.name(), system, connection, form, !dryRun);
        } catch (ChecksumForm.NotExpressible | SQLException e) {
            // A database that will not keep them (no unique key, no right to create triggers) is still read correctly.
            LOG.warnf("Reconciliation %s: %s computes its checksums: %s", job.name(), system, e.getMessage());
            return new ComputedChecksums(system, connection, form, "checksums computed, not maintained: " + e.getMessage());
        }
    }

    /**
     * Drops what keeps the job's maintained checksums from both sides' databases, so that their
     * writers no longer pay for them.
     *
     * @return per side, whether anything was installed
     */
    Map<String, Boolean> dropMaintained(ReconciliationJob job, SyncModel model) throws SQLException {
        Map<String, Boolean> dropped = new LinkedHashMap<>();
        EntityDefinition entity = model.entities().get(job.entity());
        for (String system : new String[]{job.sideA(), job.sideB()}) {
            SqlDatabase database = model.systems().containsKey(system) ? databases.of(system).orElse(null) : null;
            if (database == null) {
                dropped.put(system, false);
                continue;
            }
            String table = database.table(entity.mappings().get(system));
            try (Connection connection = database.connect()) {
                dropped.put(system, "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())
                        && ChecksumTriggers.uninstall(connection, ChecksumTriggers.name(job.name(), system, table), table));
            }
        }
        return dropped;
    }

    /** @throws IllegalArgumentException the system is not a SQL database (the model's rules let no such job run) */
    private Connection open(String system) throws SQLException {
        return databases.of(system).orElseThrow(() -> new IllegalArgumentException("System '" + system
                + "' is not a SQL database of the model")).connect();
    }

    private static PullPlan fallback(ReconciliationJob job, String reason) {
        LOG.infof("Reconciliation %s pulls in full: %s", job.name(), reason);
        return PullPlan.full("pulled in full: " + reason);
    }
}
