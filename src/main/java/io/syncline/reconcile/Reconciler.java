package io.syncline.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.mapping.RecordTransformer;
import io.syncline.reconcile.pull.PullException;
import io.syncline.reconcile.pull.PullRequest;
import io.syncline.reconcile.pull.PullResult;
import io.syncline.reconcile.pull.RecordPullers;
import io.syncline.sync.CompiledModel;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One reconciliation run: pull both sides into staging, check the pulls are whole, diff in SQL,
 * persist the differences, respond, record the verdict. Plain Java with its collaborators given,
 * so that the benchmark runs the same code without the application around it.
 */
public final class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    private static final int DIFFERENCE_BATCH = 500;

    private final Supplier<CompiledModel> model;
    private final RecordPullers pullers;
    private final StagingRepository staging;
    private final RunRepository runs;
    private final DifferenceRepository differences;
    private final ReconciliationResponder responder;
    private final ObjectMapper mapper;
    private final Clock clock;

    public Reconciler(Supplier<CompiledModel> model, RecordPullers pullers, DataSource store,
                      ReconciliationResponder.FixQueue fixes, ReconciliationResponder.Quarantine quarantine,
                      ObjectMapper mapper, Clock clock) {
        this.model = model;
        this.pullers = pullers;
        this.staging = new StagingRepository(store);
        this.runs = new RunRepository(store);
        this.differences = new DifferenceRepository(store, mapper);
        this.responder = new ReconciliationResponder(differences, fixes, quarantine, mapper);
        this.mapper = mapper;
        this.clock = clock;
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
        try {
            // Both sides at once: each pull waits mostly on its source, the other side's staging can use the time.
            java.util.concurrent.FutureTask<SidePull> sideB = new java.util.concurrent.FutureTask<>(() -> pull(runId, 'B', job, compiled));
            Thread pullB = new Thread(sideB, "reconcile-" + job.name() + "-b");
            pullB.start();
            SidePull a;
            SidePull b;
            try {
                a = pull(runId, 'A', job, compiled);
            } finally {
                // Never leave side B staging rows behind a run that is already over.
                try {
                    b = sideB.get();
                } catch (java.util.concurrent.ExecutionException e) {
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
            staging.analyze();
            DiffProcessor diff = new DiffProcessor(job, startedAt, trigger.dryRun(), mapper);
            Long previousRun = baseline.map(RunRepository.Baseline::runId).orElse(null);
            List<Difference> batch = new ArrayList<>();
            staging.differing(runId, row -> {
                Difference difference = diff.classify(row);
                if (difference != null) {
                    batch.add(difference);
                }
                if (batch.size() >= DIFFERENCE_BATCH) {
                    flush(runId, job, previousRun, startedAt, batch);
                }
            });
            flush(runId, job, previousRun, startedAt, batch);
            long equal = a.staged() - diff.presentInA;
            long[] done = trigger.dryRun() ? new long[] {0, 0} : responder.respond(runId, job, compiled.transformer());
            SidePull reference = job.masterSide() == 'B' ? b : a;
            double quality = diff.qualityScore(reference.staged());
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
            staging.delete(runId);
        }
    }

    private void flush(long runId, ReconciliationJob job, Long previousRun, Instant seenAt, List<Difference> batch) {
        try {
            differences.insert(runId, job, previousRun, seenAt, batch);
        } catch (Exception e) {
            throw new IllegalStateException("Storing differences of run " + runId + " failed: " + e.getMessage(), e);
        }
        batch.clear();
    }

    private SidePull pull(long runId, char side, ReconciliationJob job, CompiledModel compiled) throws Exception {
        String system = job.system(side);
        var definition = compiled.model().systems().get(system);
        var mapping = compiled.model().entities().get(job.entity()).mappings().get(system);
        RecordTransformer transformer = compiled.transformer();
        RecordStager stager = new RecordStager(job, transformer, system, mapper);
        AtomicLong staged = new AtomicLong();
        try {
            PullResult result = pullers.forSystem(system, definition).pull(
                    new PullRequest(job.entity(), system, definition, mapping, job.pageSize()),
                    page -> staged.addAndGet(staging.insert(runId, side, stager.stage(page))));
            return new SidePull(system, result, staged.get(), null);
        } catch (PullException e) {
            return new SidePull(system, null, staged.get(), e.getMessage());
        }
    }
}
