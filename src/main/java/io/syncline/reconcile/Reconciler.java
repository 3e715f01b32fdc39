package io.syncline.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.reconcile.pull.JdbcKeysetPuller;
import io.syncline.reconcile.pull.PullException;
import io.syncline.reconcile.pull.PullRequest;
import io.syncline.reconcile.pull.PullResult;
import io.syncline.reconcile.pull.RecordPuller;
import io.syncline.reconcile.pull.RecordPullers;
import io.syncline.sync.CompiledModel;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

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
    /** Transform workers of a run, shared by both sides: reading records through their contracts is the CPU-bound part. */
    private final int workerCount = Math.max(1, Runtime.getRuntime().availableProcessors());

    /**
     * @param jdbc connections to JDBC systems, for the checksums of {@code strategy: bisection} jobs
     */
    public Reconciler(Supplier<CompiledModel> model, RecordPullers pullers, JdbcKeysetPuller.Connections jdbc, DataSource store,
                      ReconciliationResponder.FixQueue fixes, ReconciliationResponder.Quarantine quarantine,
                      ObjectMapper mapper, Clock clock) {
        this.model = model;
        this.pullers = pullers;
        this.planner = new PullPlanner(jdbc);
        this.staging = new StagingRepository(store);
        this.runs = new RunRepository(store);
        this.differences = new DifferenceRepository(store, mapper);
        this.responder = new ReconciliationResponder(differences, fixes, quarantine, mapper);
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
     * @return the finished run: ok, untrustworthy (with reasons, nothing changed) or failed (with its cause)
     * @throws UnknownJobException no such job in the model in force
     */
    public ReconciliationRun run(String jobName, RunTrigger trigger) throws Exception {
        CompiledModel compiled = model.get();
        ReconciliationJob job = ReconciliationJob.of(jobName, compiled.model());
        Instant startedAt = clock.instant();
        long runId = runs.start(job, trigger, startedAt);
        LOG.infof("Reconciliation %s run %d started (%s%s)", job.name(), runId, trigger.kind(), trigger.dryRun() ? ", dry run" : "");
        ExecutorService workers = Executors.newFixedThreadPool(workerCount, daemonThreads("reconcile-" + job.name() + "-transform-"));
        ValueSpill spillA = null;
        ValueSpill spillB = null;
        try {
            int orphans = runs.failOrphans(trigger.instanceId(), clock.instant());
            if (orphans > 0) {
                // Their partitions are no longer kept for them: staging.create drops them below.
                LOG.warnf("Reconciliation: %d runs of replicas that stopped were marked failed", orphans);
            }
            PullPlan plan = planner.plan(job, compiled.model(), trigger.dryRun());
            runs.strategy(runId, plan.strategy(), plan.note());
            staging.create(runId);
            spillA = ValueSpill.create(runId, 'A');
            spillB = ValueSpill.create(runId, 'B');
            ValueSpill valuesA = spillA;
            ValueSpill valuesB = spillB;
            Source sourceA = source('A', job, compiled, plan);
            Source sourceB = source('B', job, compiled, plan);
            // Equal pairs dropped before staging only where each pull counts its own repeated keys (they would hide them).
            PairingWindow window = sourceA.countsRepeatedKeys() && sourceB.countsRepeatedKeys()
                    ? new PairingWindow(PAIRING_CAPACITY) : null;
            // Both sides at once: each pull waits mostly on its source, the other side's staging can use the time.
            FutureTask<SidePull> sideB = new FutureTask<>(() -> pull(runId, sourceB, job, plan, window, workers, valuesB));
            Thread pullB = new Thread(sideB, "reconcile-" + job.name() + "-b");
            pullB.start();
            SidePull a;
            SidePull b;
            try {
                a = pull(runId, sourceA, job, plan, window, workers, valuesA);
            } finally {
                // Never leave side B staging behind a run that is already over.
                try {
                    b = sideB.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
            Optional<RunRepository.Baseline> baseline = runs.lastTrustworthy(job.name(), runId);
            List<String> reasons = SanityCheck.reasons(job, a, b, baseline);
            if (!reasons.isEmpty()) {
                runs.finish(runId, "untrustworthy", reasons, a, b, null, null, null, clock.instant());
                LOG.warnf("Reconciliation %s run %d is untrustworthy and changed nothing: %s", job.name(), runId, reasons);
                return runs.find(runId).orElseThrow();
            }
            long diffStarted = System.nanoTime();
            DiffProcessor diff = new DiffProcessor(job, startedAt, trigger.dryRun(), mapper);
            Long previousRun = baseline.map(RunRepository.Baseline::runId).orElse(null);
            List<Difference> batch = new ArrayList<>();
            staging.differing(runId, pair -> {
                Difference difference = diff.classify(new DiffRow(pair.key(), pair.atA(), pair.atB(),
                        pair.valuesAtA() == null ? null : valuesA.read(pair.valuesAtA()),
                        pair.valuesAtB() == null ? null : valuesB.read(pair.valuesAtB())));
                if (difference != null) {
                    batch.add(difference);
                }
                if (batch.size() >= DIFFERENCE_BATCH) {
                    flush(runId, job, previousRun, startedAt, batch);
                }
            });
            flush(runId, job, previousRun, startedAt, batch);
            LOG.infof("Reconciliation %s run %d: diffed in %d ms", job.name(), runId, (System.nanoTime() - diffStarted) / 1_000_000);
            long equal = a.distinctKeys() - diff.presentInA;
            long[] done = trigger.dryRun() ? new long[] {0, 0} : responder.respond(runId, job, compiled.transformer());
            SidePull reference = job.masterSide() == 'B' ? b : a;
            double quality = diff.qualityScore(reference.distinctKeys());
            runs.finish(runId, "ok", List.of(), a, b, new ReconciliationRun.Counts(diff.onlyInA, diff.onlyInB, diff.mismatched,
                    equal, diff.inFlight, done[0], done[1]), job.subscriber(), quality, clock.instant());
            LOG.infof("Reconciliation %s run %d: %d only in %s, %d only in %s, %d mismatched, %d equal, %d in flight",
                    job.name(), runId, diff.onlyInA, job.sideA(), diff.onlyInB, job.sideB(), diff.mismatched, equal, diff.inFlight);
            return runs.find(runId).orElseThrow();
        } catch (Exception | Error e) {
            LOG.errorf(e, "Reconciliation %s run %d failed", job.name(), runId);
            // A run that broke (the state store, a bug) is recorded as failed with its cause, not lost.
            runs.finish(runId, "failed", List.of(e.getClass().getSimpleName() + ": " + e.getMessage()), null, null, null,
                    null, null, clock.instant());
            return runs.find(runId).orElseThrow();
        } finally {
            workers.shutdownNow();
            close(spillA);
            close(spillB);
            staging.drop(runId);
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

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicLong count = new AtomicLong();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private void flush(long runId, ReconciliationJob job, Long previousRun, Instant seenAt, List<Difference> batch) {
        try {
            differences.insert(runId, job, previousRun, seenAt, batch);
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
        return new Source(side, system, new RecordStager(job, compiled.transformer(), system, mapper),
                pullers.forSystem(system, definition),
                new PullRequest(job.entity(), system, definition, mapping, job.pageSize(), plan.keys(side)));
    }

    private SidePull pull(long runId, Source source, ReconciliationJob job, PullPlan plan, PairingWindow window, Executor workers,
                          ValueSpill spill) throws Exception {
        char side = source.side();
        long started = System.nanoTime();
        PullResult result;
        long keyed;
        long written;
        try (StagingCopy copy = staging.copy(runId, side)) {
            StagingPipeline pipeline = new StagingPipeline("reconcile-" + job.name() + "-" + Character.toLowerCase(side),
                    source.stager(), side, window, workers, copy, spill, 2 * workerCount + 1);
            try {
                result = source.puller().pull(source.request(), pipeline);
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
        return plan.side(side, source.system(), result, keyed - duplicates);
    }
}
