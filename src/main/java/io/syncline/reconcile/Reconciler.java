package io.syncline.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.CompiledModel;
import io.syncline.connector.spi.PageSink;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.connector.spi.RecordPullers;
import io.syncline.connector.spi.SqlDatabases;
import org.apache.camel.util.concurrent.CamelThreadFactory;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

import javax.sql.DataSource;

/**
 * One reconciliation run: plan what to pull (everything, or the keys checksum bisection found
 * differing), pull both sides into staging through their contracts, check the pulls are whole,
 * diff in SQL, persist the differences, respond, record the verdict. Plain Java with its
 * collaborators given, so that the benchmark runs the same code without the application around it.
 */
public final class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    private static final int DIFFERENCE_BATCH = 500;
    /** Staged records of a side from which its partition is analysed before the diff. */
    private static final long ANALYZE_FROM = 1000;
    /**
     * Unpaired records a side may hold back while waiting for the other side's (a few hundred bytes
     * each): two key-ordered pulls are rarely a few pages apart.
     */
    private static final int PAIRING_CAPACITY = 10_000;

    private final Supplier<CompiledModel> model;
    private final RecordPullers pullers;
    private final PullPlanner planner;
    private final StagingRepository staging;
    private final RunRepository runs;
    private final DifferenceRepository differences;
    private final ReconciliationResponder responder;
    private final ObjectMapper mapper;
    private final Clock clock;
    /** How long a run's pull may wait, in all, for a source whose daily call budget is spent. */
    private final Duration longestBudgetWait;
    private final ExpectedDifferences.Explained explained;
    /** The ID map, for the references of the compared records. */
    private final ParentIds parents;
    /** Transform workers of a run, shared by both sides: reading records through their contracts is the CPU-bound part. */
    private final int workerCount = Math.max(1, Runtime.getRuntime().availableProcessors());

    /**
     * @param databases the SQL databases of the model's systems, for the checksums of {@code strategy: bisection} jobs
     */
    public Reconciler(Supplier<CompiledModel> model, RecordPullers pullers, SqlDatabases databases, DataSource store,
            ReconciliationResponder.FixQueue fixes, ReconciliationResponder.MasterRecords masters,
            ReconciliationResponder.Quarantine quarantine, ObjectMapper mapper, Clock clock) {
        this(model, pullers, databases, store, fixes, masters, ReconciliationResponder.LostRecords.NONE, quarantine,
                ExpectedDifferences.Explained.NONE, ParentIds.NONE, mapper, clock, Duration.ZERO);
    }

    /**
     * @param lost              forgets what Syncline remembers of a record the fix's target lost
     * @param explained         the records the real-time path held for review or dead-lettered: their
     *                          differences are expected, not drift
     * @param parents           the ID map: references are compared, and fixed, by their parents' canonical ids
     * @param longestBudgetWait how long a pull may wait for a source whose daily call budget is spent
     *                          (zero: the side fails at once), its wait shown on the run
     */
    public Reconciler(Supplier<CompiledModel> model, RecordPullers pullers, SqlDatabases databases, DataSource store,
            ReconciliationResponder.FixQueue fixes, ReconciliationResponder.MasterRecords masters,
            ReconciliationResponder.LostRecords lost, ReconciliationResponder.Quarantine quarantine,
            ExpectedDifferences.Explained explained, ParentIds parents, ObjectMapper mapper, Clock clock,
            Duration longestBudgetWait) {
        this(model, pullers, databases, store, fixes, masters, lost, quarantine, explained, parents, mapper, clock,
                longestBudgetWait, DifferenceRepository.Sealing.NONE);
    }

    /** @param sealing what a stored difference keeps of a sensitive field's values: their digests */
    public Reconciler(Supplier<CompiledModel> model, RecordPullers pullers, SqlDatabases databases, DataSource store,
            ReconciliationResponder.FixQueue fixes, ReconciliationResponder.MasterRecords masters,
            ReconciliationResponder.LostRecords lost, ReconciliationResponder.Quarantine quarantine,
            ExpectedDifferences.Explained explained, ParentIds parents, ObjectMapper mapper, Clock clock,
            Duration longestBudgetWait, DifferenceRepository.Sealing sealing) {

        this.explained = explained;
        this.parents = parents;
        this.longestBudgetWait = longestBudgetWait;
        this.model = model;
        this.pullers = pullers;
        this.planner = new PullPlanner(databases);
        this.staging = new StagingRepository(store);
        this.runs = new RunRepository(store);
        this.differences = new DifferenceRepository(store, mapper, sealing);
        this.responder = new ReconciliationResponder(differences, fixes, masters, lost, quarantine, parents, mapper);
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * Drops what keeps a job's maintained checksums from both databases (a run with
     * {@code checksums: maintained} installs it again).
     *
     * @return per side, whether anything was installed
     * @throws UnknownJobException no such job in the model in force
     */
    public Map<String, Boolean> dropMaintainedChecksums(String jobName) throws SQLException {
        CompiledModel compiled = model.get();
        return planner.dropMaintained(ReconciliationJob.of(jobName, compiled.model()), compiled.model());
    }

    /**
     * The stages below one after another, as the {@code reconcile} route runs them: for the
     * benchmark and for code that runs a job without the application around it.
     *
     * @return the finished run: ok, fixes_short (fewer fixes made than planned, with why), untrustworthy (with
     *         reasons, nothing changed) or failed (with its cause)
     * @throws UnknownJobException no such job in the model in force
     */
    public ReconciliationRun run(String jobName, RunTrigger trigger) throws Exception {
        RunInProgress run = start(jobName, trigger);
        try {
            plan(run);
            pull(run);
            if (check(run)) {
                diff(run);
                respond(run);
            }
            return finish(run);
        } catch (Exception | Error e) {
            return fail(run, e);
        } finally {
            close(run);
        }
    }

    /** Records the run as started: from here on, whatever happens is recorded with it. */
    public RunInProgress start(String jobName, RunTrigger trigger) throws Exception {
        CompiledModel compiled = model.get();
        ReconciliationJob job = ReconciliationJob.of(jobName, compiled.model());
        Instant startedAt = clock.instant();
        long runId = runs.start(job, trigger, startedAt);
        LOG.infof("Reconciliation %s run %d started (%s%s)", job.name(), runId, trigger.kind(), trigger.dryRun() ? ", dry run" : "");
        return new RunInProgress(job, compiled, trigger, runId, startedAt);
    }

    /**
     * Plans what to pull: everything, or the keys checksum bisection found differing. Runs of
     * replicas that left the cluster are marked failed first, since their staging is dropped.
     */
    public void plan(RunInProgress run) throws Exception {
        int orphans = runs.failOrphans(run.trigger.instanceId(), clock.instant());
        if (orphans > 0) {
            // Their partitions are no longer kept for them: staging.create drops them.
            LOG.warnf("Reconciliation: %d runs of replicas that stopped were marked failed", orphans);
        }
        run.plan = planner.plan(run.job, run.compiled.model(), run.trigger.dryRun());
        runs.strategy(run.id, run.plan.strategy(), run.plan.note());
    }

    /**
     * Pulls both sides at once into staging, page by page through their contracts: each pull
     * waits mostly on its source, the other side's staging can use the time.
     */
    public void pull(RunInProgress run) throws Exception {
        ReconciliationJob job = run.job;
        run.workers = Executors.newFixedThreadPool(workerCount, new CamelThreadFactory("#name#-#counter#",
                "reconcile-" + job.name() + "-transform", true));
        staging.create(run.id);
        run.valuesA = ValueSpill.create(run.id, 'A');
        run.valuesB = ValueSpill.create(run.id, 'B');
        Source sourceA = source('A', job, run.compiled, run.plan);
        Source sourceB = source('B', job, run.compiled, run.plan);
        // Equal pairs dropped before staging only where each pull counts its own repeated keys (they would hide them).
        PairingWindow window = sourceA.countsRepeatedKeys() && sourceB.countsRepeatedKeys()
                ? new PairingWindow(PAIRING_CAPACITY) : null;
        FutureTask<SidePull> sideB = new FutureTask<>(() -> pull(run, sourceB, window, run.valuesB));
        Thread pullB = new Thread(sideB, "reconcile-" + job.name() + "-b");
        pullB.start();
        try {
            run.a = pull(run, sourceA, window, run.valuesA);
        } finally {
            // Never leave side B staging behind a run that is already over.
            try {
                run.b = sideB.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    /**
     * The truncation guard: a run whose pulls look incomplete (a side failed, came back far
     * smaller than the last trustworthy run, or counted repeated keys) is recorded as
     * untrustworthy here and changes nothing.
     *
     * @return whether the run may go on to the diff
     */
    public boolean check(RunInProgress run) throws SQLException {
        run.baseline = runs.lastTrustworthy(run.job.name(), run.id);
        List<String> reasons = SanityCheck.reasons(run.job, run.a, run.b, run.baseline);
        if (!reasons.isEmpty()) {
            runs.finish(run.id, "untrustworthy", reasons, run.a, run.b, null, null, null, clock.instant());
            LOG.warnf("Reconciliation %s run %d is untrustworthy and changed nothing: %s", run.job.name(), run.id, reasons);
            run.finished = true;
        }
        return !run.finished;
    }

    /** Sorts the staged pairs that differ into buckets and stores each difference, a batch at a time. */
    public void diff(RunInProgress run) throws Exception {
        long diffStarted = System.nanoTime();
        ReconciliationJob job = run.job;
        ComparedReferences references = ComparedReferences.of(job, run.compiled.transformer().entity(job.entity()));
        run.diff = new DiffProcessor(job, run.startedAt, run.trigger.dryRun(), mapper, ExpectedDifferences.of(job, explained),
                references);
        Long previousRun = run.baseline.map(RunRepository.Baseline::runId).orElse(null);
        List<Difference> batch = new ArrayList<>();
        staging.differing(run.id, pair -> {
            Difference difference = run.diff.classify(new DiffRow(pair.key(), pair.atA(), pair.atB(),
                    pair.valuesAtA() == null ? null : run.valuesA.read(pair.valuesAtA()),
                    pair.valuesAtB() == null ? null : run.valuesB.read(pair.valuesAtB())));
            if (difference != null) {
                batch.add(difference);
            }
            if (batch.size() >= DIFFERENCE_BATCH) {
                flush(run.id, job, references, previousRun, run.startedAt, batch);
            }
        });
        flush(run.id, job, references, previousRun, run.startedAt, batch);
        LOG.infof("Reconciliation %s run %d: diffed in %d ms", job.name(), run.id, (System.nanoTime() - diffStarted) / 1_000_000);
    }

    /**
     * Auto-fix and quarantine as the job says; a dry run only reports, its planned fixes checked as
     * the run would check them (a parent not linked in the target: reported instead).
     */
    public void respond(RunInProgress run) throws Exception {
        if (!run.trigger.dryRun()) {
            run.done = responder.respond(run.id, run.job, run.compiled.transformer());
        } else {
            responder.previewFixes(run.id, run.job, run.compiled.transformer());
        }
    }

    /** Records the verdict and the counts of a run that got through (an untrustworthy one is already recorded). */
    public ReconciliationRun finish(RunInProgress run) throws SQLException {
        if (!run.finished) {
            ReconciliationJob job = run.job;
            DiffProcessor diff = run.diff;
            long equal = run.a.distinctKeys() - diff.presentInA;
            SidePull reference = job.masterSide() == 'B' ? run.b : run.a;
            // a run that made fewer fixes than it planned does not say ok: it says how far short, and why
            String status = run.done.fixesShort() ? ReconciliationRun.FIXES_SHORT : ReconciliationRun.OK;
            runs.finish(run.id, status, run.done.shortfall(), run.a, run.b, new ReconciliationRun.Counts(diff.onlyInA,
                    diff.onlyInB, diff.mismatched, equal, diff.inFlight, run.done.fixed(), run.done.quarantined(), diff.expected),
                    job.subscriber(), diff.qualityScore(reference.distinctKeys()), clock.instant());
            if (run.done.fixesShort()) {
                LOG.warnf("Reconciliation %s run %d made %d of %d planned fixes: %s", job.name(), run.id, run.done.fixed(),
                        run.done.plannedFixes(), run.done.shortfall());
            }
            LOG.infof("Reconciliation %s run %d: %d only in %s, %d only in %s, %d mismatched, %d equal, %d in flight, %d expected,"
                    + " %d with a dangling reference", job.name(), run.id, diff.onlyInA, job.sideA(), diff.onlyInB, job.sideB(),
                    diff.mismatched, equal, diff.inFlight, diff.expected, diff.dangling);
            run.finished = true;
        }
        return runs.find(run.id).orElseThrow();
    }

    /** A run that broke (the state store, a bug) is recorded as failed with its cause, not lost. */
    public ReconciliationRun fail(RunInProgress run, Throwable e) throws SQLException {
        LOG.errorf(e, "Reconciliation %s run %d failed", run.job.name(), run.id);
        runs.finish(run.id, "failed", List.of(e.getClass().getSimpleName() + ": " + e.getMessage()), null, null, null,
                null, null, clock.instant());
        run.finished = true;
        return runs.find(run.id).orElseThrow();
    }

    /** Whatever happened, the run's transform workers, value files and staging partitions go. */
    public void close(RunInProgress run) {
        if (run.workers != null) {
            run.workers.shutdownNow();
        }
        close(run.valuesA);
        close(run.valuesB);
        try {
            staging.drop(run.id);
        } catch (Exception e) {
            LOG.warnf("Dropping the staging of reconciliation run %d failed: %s", run.id, e.getMessage());
        }
    }

    private static void close(ValueSpill spill) {
        if (spill != null) {
            try {
                spill.close();
            } catch (IOException e) {
                LOG.warnf("Removing a reconciliation value file failed: %s", e.getMessage());
            }
        }
    }

    /** Stores a batch of differences, their references' notes completed first (each side's own ids of the parents). */
    private void flush(long runId, ReconciliationJob job, ComparedReferences references, Long previousRun, Instant seenAt,
            List<Difference> batch) {
        try {
            differences.insert(runId, job, previousRun, seenAt, references.complete(batch, job, parents));
        } catch (Exception e) {
            throw new IllegalStateException("Storing differences of run " + runId + " failed: " + e.getMessage(), e);
        }
        batch.clear();
    }

    /** One side of a run before its pull: its system, the contract's stager, the puller and what to ask it. */
    private record Source(char side, String system, RecordStager stager, RecordPuller puller, PullRequest request) {

        boolean countsRepeatedKeys() {
            return stager.keyIsRaw() && puller.countsRepeatedKeys(request);
        }
    }

    private Source source(char side, ReconciliationJob job, CompiledModel compiled, PullPlan plan) {
        String system = job.system(side);
        var definition = compiled.model().systems().get(system);
        var mapping = compiled.model().entities().get(job.entity()).mappings().get(system);
        return new Source(side, system, new RecordStager(job, compiled.transformer(), system, mapper, parents),
                pullers.forSystem(system, definition),
                new PullRequest(job.entity(), system, definition, mapping, job.pageSize(), plan.keys(side)));
    }

    /** The pipeline, as a sink whose pull may wait for a spent call budget, the wait shown on the run's row. */
    private PageSink waiting(RunInProgress run, PageSink pipeline) {
        return new PageSink() {

            @Override
            public void accept(List<Map<String, Object>> page) throws Exception {
                pipeline.accept(page);
            }

            @Override
            public Duration longestBudgetWait() {
                return longestBudgetWait;
            }

            @Override
            public void waiting(Instant until, String reason) {
                if (until != null) {
                    LOG.infof("Reconciliation %s run %d waits until %s: %s", run.job.name(), run.id, until, reason);
                }
                try {
                    runs.waiting(run.id, until, reason);
                } catch (SQLException e) {
                    LOG.warnf("Reconciliation run %d: its wait could not be recorded: %s", run.id, e.getMessage());
                }
            }
        };
    }

    private SidePull pull(RunInProgress run, Source source, PairingWindow window, ValueSpill spill) throws Exception {
        long runId = run.id;
        ReconciliationJob job = run.job;
        char side = source.side();
        long started = System.nanoTime();
        PullResult result;
        long keyed;
        long written;
        try (StagingCopy copy = staging.copy(runId, side)) {
            StagingPipeline pipeline = new StagingPipeline("reconcile-" + job.name() + "-" + Character.toLowerCase(side),
                    source.stager(), side, window, run.workers, copy, spill, 2 * workerCount + 1);
            try {
                result = source.puller().pull(source.request(), waiting(run, pipeline));
            } catch (PullException e) {
                pipeline.abandon();
                return SidePull.failed(source.system(), e.getMessage());
            } catch (Exception | Error e) {
                pipeline.abandon();
                throw e;
            }
            try {
                keyed = pipeline.finish();
                written = pipeline.written();
            } catch (Exception e) {
                return SidePull.failed(source.system(), "staging its records failed: " + e.getMessage());
            }
        } finally {
            // Whatever happened to this side, the other side's pairing stops waiting for it.
            if (window != null) {
                window.leave(side);
            }
        }
        long pulled = System.nanoTime();
        // A key seen twice is staged twice (COPY cannot skip it) and counted, by the pull when it reads in
        // key order, else here: it makes the run untrustworthy. Paired sides' keys are not all staged: their pulls count them.
        if (window != null && result.repeatedKeys() == null) {
            throw new IllegalStateException("The pull of " + source.system() + " said it counts repeated keys and did not");
        }
        long duplicates = result.repeatedKeys() != null && source.stager().keyIsRaw() ? result.repeatedKeys()
                : staging.duplicates(runId, side);
        if (written >= ANALYZE_FROM) {
            // Statistics for the diff's join; a few hundred rows are joined the same way without them.
            staging.analyze(runId, side);
        }
        LOG.infof("Reconciliation %s run %d: side %s (%s) read %d records in %d ms, staged %d (%d paired equal before staging),"
                + " counted repeated keys and analyzed in %d ms", job.name(), runId, side, source.system(), keyed,
                (pulled - started) / 1_000_000, written, window == null ? 0 : window.paired(side),
                (System.nanoTime() - pulled) / 1_000_000);
        return run.plan.side(side, source.system(), result, keyed - duplicates);
    }
}
