package io.syncline.reconcile;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A reconciliation run as the admin API shows it: the verdict and why, each side's pull, the bucket
 * counts (the differences in {@code onlyInA}, {@code onlyInB} and {@code mismatched}; those explained as
 * expected apart, in {@code expected}), and how the sides were read ({@code strategy}: full or bisection, {@code strategyNote}: why
 * a bisection job pulled in full, or what its checksums found). While a running run's pull waits for a
 * source's spent daily call budget, {@code waitingUntil} says when the budget is expected back and
 * {@code waitingReason} why it waits.
 */
@RegisterForReflection
public record ReconciliationRun(long id, String job, String entity, String trigger, boolean dryRun,
        OffsetDateTime scheduledAt, String instanceId, String status, List<String> reasons,
        OffsetDateTime startedAt, OffsetDateTime finishedAt, Side sideA, Side sideB,
        Counts counts, String qualitySystem, Double qualityScore, String strategy,
        String strategyNote, String requestedBy, OffsetDateTime waitingUntil,
        String waitingReason) {

    public ReconciliationRun(long id, String job, String entity, String trigger, boolean dryRun,
            OffsetDateTime scheduledAt, String instanceId, String status, List<String> reasons,
            OffsetDateTime startedAt, OffsetDateTime finishedAt, Side sideA, Side sideB,
            Counts counts, String qualitySystem, Double qualityScore, String strategy,
            String strategyNote, String requestedBy) {
        this(id, job, entity, trigger, dryRun, scheduledAt, instanceId, status, reasons, startedAt, finishedAt, sideA, sideB,
                counts, qualitySystem, qualityScore, strategy, strategyNote, requestedBy, null, null);
    }

    /**
     * What one side held and its pull saw: {@code records} the side holds (as its checksums counted them
     * when only differing keys were {@code pulled}), {@code notStaged} records pulled twice or without a key.
     */
    @RegisterForReflection
    public record Side(String system, Long records, Long pages, Boolean reachedEnd, Long reportedTotal, Long notStaged,
            Long pulled) {
    }

    @RegisterForReflection
    public record Counts(Long onlyInA, Long onlyInB, Long mismatched, Long equal, Long inFlight, Long fixed, Long quarantined,
            Long expected) {

        public Counts(Long onlyInA, Long onlyInB, Long mismatched, Long equal, Long inFlight, Long fixed, Long quarantined) {
            this(onlyInA, onlyInB, mismatched, equal, inFlight, fixed, quarantined, null);
        }

        /** The unexplained differences: drift. Expected ones ({@code expected}: held, rejected, declared) are not among them. */
        public long differences() {
            return value(onlyInA) + value(onlyInB) + value(mismatched);
        }

        private static long value(Long count) {
            return count == null ? 0 : count;
        }
    }

    /** Both sides pulled whole, every difference answered as planned. */
    public static final String OK = "ok";
    /** Both sides pulled whole, but fewer fixes made than planned: {@code reasons} say how many and why. */
    public static final String FIXES_SHORT = "fixes_short";

    /** Both sides were pulled whole and compared: ok, or fixes_short. */
    public boolean trustworthy() {
        return OK.equals(status) || FIXES_SHORT.equals(status);
    }
}
