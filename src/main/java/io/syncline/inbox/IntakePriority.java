package io.syncline.inbox;

import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Accepting comes before applying. A webhook that answers late is retried or given up on by its
 * sender, while an accepted event is safe in the inbox and can be applied a little later. So
 * while webhooks arrive faster than {@code syncline.inbox.intake-priority.rate}, only
 * {@code syncline.inbox.intake-priority.workers} events are applied at a time (the workers'
 * {@code throttle} asks {@link #applySlots()} for each event), leaving the CPUs and connections to
 * the webhooks; once the burst is over every worker applies again and the backlog drains.
 *
 * <p>The rate is the count of the last complete window of {@value #WINDOW_MILLIS} ms: cheap to
 * keep on the webhook's path (one counter increment) and quick to notice both a burst and its end.
 * A burst ends when the rate falls below half the threshold, not just below it: a rate hovering
 * about the threshold would otherwise switch the workers' limit back and forth every window.
 */
@ApplicationScoped
@Named("intakePriority")
public class IntakePriority {

    static final long WINDOW_MILLIS = 100;

    private final int workers;
    private final int workersUnderLoad;
    private final long rateThreshold;
    private final LongSupplier clock;
    private final LongAdder inWindow = new LongAdder();
    private final AtomicLong windowStart;
    private volatile long lastRate;
    private volatile boolean burst;

    @Inject
    public IntakePriority(SynclineConfig config) {
        this(config.inbox().workers(), config.inbox().intakePriority().workers(), config.inbox().intakePriority().rate(),
                System::currentTimeMillis);
    }

    IntakePriority(int workers, int workersUnderLoad, long rateThreshold, LongSupplier clock) {
        this.workers = workers;
        this.workersUnderLoad = Math.max(1, Math.min(workersUnderLoad, workers));
        this.rateThreshold = rateThreshold;
        this.clock = clock;
        this.windowStart = new AtomicLong(clock.getAsLong());
    }

    /** A webhook request was accepted into the inbox. */
    public void accepted() {
        roll();
        inWindow.increment();
    }

    /** Webhook requests per second accepted in the last complete window. */
    public long rate() {
        roll();
        return lastRate;
    }

    /** How many events may be applied at once now: every worker, or fewer while webhooks come in a burst. */
    public int applySlots() {
        if (rateThreshold <= 0) {
            return workers;
        }
        long rate = rate();
        if (rate > rateThreshold) {
            burst = true;
        } else if (rate * 2 < rateThreshold) {
            burst = false;
        }
        return burst ? workersUnderLoad : workers;
    }

    private void roll() {
        long now = clock.getAsLong();
        long start = windowStart.get();
        long elapsed = now - start;
        if (elapsed >= WINDOW_MILLIS && windowStart.compareAndSet(start, now)) {
            // A window longer than one (nothing came for a while) spreads its count over its length.
            lastRate = inWindow.sumThenReset() * 1000 / elapsed;
        }
    }
}
