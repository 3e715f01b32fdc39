package io.syncline.reconcile;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.compiled.CompiledModel;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * A reconciliation run between its stages: the body the {@code reconcile} route carries from
 * {@code start} to {@code finish}. Each stage of {@link Reconciler} fills in what it found.
 */
@RegisterForReflection
public final class RunInProgress {

    final ReconciliationJob job;
    final CompiledModel compiled;
    final RunTrigger trigger;
    final long id;
    final Instant startedAt;
    PullPlan plan;
    ExecutorService workers;
    ValueSpill valuesA;
    ValueSpill valuesB;
    SidePull a;
    SidePull b;
    Optional<RunRepository.Baseline> baseline = Optional.empty();
    DiffProcessor diff;
    ReconciliationResponder.Outcome done = ReconciliationResponder.Outcome.NONE;
    /** Its verdict is recorded (ok, fixes_short, untrustworthy or failed). */
    boolean finished;

    RunInProgress(ReconciliationJob job, CompiledModel compiled, RunTrigger trigger, long id, Instant startedAt) {
        this.job = job;
        this.compiled = compiled;
        this.trigger = trigger;
        this.id = id;
        this.startedAt = startedAt;
    }

    public long id() {
        return id;
    }

    public String job() {
        return job.name();
    }

    /** Whether the run may go on to the diff: its pulls passed the truncation guard (false before the check). */
    public boolean isTrustworthy() {
        return a != null && !finished;
    }

    @Override
    public String toString() {
        return "reconciliation " + job.name() + " run " + id;
    }
}
