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
 * during a burst of webhooks only {@code syncline.inbox.intake-priority.workers} events are
 * applied at a time (the workers' {@code throttle} asks {@link #applySlots()} for each event),
 * leaving the CPUs and connections to the webhooks; once the burst is over every worker applies
 * again and the backlog drains.
 *
 * <p>A burst is either of two signals, each over {@value #SUSTAINED_WINDOWS} windows of
 * {@value #WINDOW_MILLIS} ms in a row: webhooks arriving faster than {@code intake-priority.rate},
 * or on average at least {@code intake-priority.in-progress} HTTP requests in progress (received,
 * not yet answered: {@link io.syncline.webhook.RequestsInProgress}) when one is accepted. One
 * window alone is a hiccup, not a burst: a tenth of a second's stall (a collection, a checkpoint's
 * write) raises the requests in progress as much as a burst does, and limiting the workers for it
 * held a steady 150 events/s back by up to 1.4 s (docs/adr/0005-real-time-defaults-on-two-vcpus.md).
 * The first is a rate only a machine of a certain speed reaches; the second (rate x answer time)
 * follows the machine, rising exactly when applying slows the answers down.
 * Both are cheap to keep on the webhook's path (counter increments) and quick to notice a burst
 * and its end. A burst ends when both fall below half their threshold, not just below it: a
 * signal hovering about its threshold would otherwise switch the workers' limit back and forth.
 */
@ApplicationScoped
@Named("IntakePriority")
public class IntakePriority {

    static final long WINDOW_MILLIS = 100;
    static final int SUSTAINED_WINDOWS = 3;

    private final int workers;
    private final int workersUnderLoad;
    private final long rateThreshold;
    private final int inProgressThreshold;
    private final LongSupplier clock;
    private final LongAdder inWindow = new LongAdder();
    private final LongAdder inProgressInWindow = new LongAdder();
    private final AtomicLong windowStart;
    private volatile long lastRate;
    /** Average requests in progress at an acceptance in the last window, in tenths. */
    private volatile long lastInProgressTenths;
    /** Complete windows in a row with a signal above its threshold, up to {@link #SUSTAINED_WINDOWS}. */
    private volatile int highWindows;
    private volatile boolean burst;

    @Inject
    public IntakePriority(SynclineConfig config) {
        this(config.inbox().workers(), config.inbox().intakePriority().workers(), config.inbox().intakePriority().rate(),
                config.inbox().intakePriority().inProgress(), System::currentTimeMillis);
    }

    IntakePriority(int workers, int workersUnderLoad, long rateThreshold, int inProgressThreshold, LongSupplier clock) {
        this.workers = workers;
        this.workersUnderLoad = Math.max(1, Math.min(workersUnderLoad, workers));
        this.rateThreshold = rateThreshold;
        this.inProgressThreshold = inProgressThreshold;
        this.clock = clock;
        this.windowStart = new AtomicLong(clock.getAsLong());
    }

    /** A webhook request was accepted into the inbox. */
    public void accepted() {
        accepted(1);
    }

    /**
     * A webhook request was accepted into the inbox while {@code inProgress} HTTP requests, itself
     * included, were in progress.
     */
    public void accepted(int inProgress) {
        roll();
        inWindow.increment();
        inProgressInWindow.add(inProgress);
    }

    /** Webhook requests per second accepted in the last complete window. */
    public long rate() {
        roll();
        return lastRate;
    }

    /** How many events may be applied at once now: every worker, or fewer while webhooks come in a burst. */
    public int applySlots() {
        long rate = rate();
        long inProgressTenths = lastInProgressTenths;
        boolean rateLow = rateThreshold <= 0 || rate * 2 < rateThreshold;
        boolean busyLow = inProgressThreshold <= 0 || inProgressTenths * 2 < inProgressThreshold * 10L;
        if (highWindows >= SUSTAINED_WINDOWS) {
            burst = true;
        } else if (rateLow && busyLow) {
            burst = false;
        }
        return burst ? workersUnderLoad : workers;
    }

    private boolean high(long rate, long inProgressTenths) {
        return rateThreshold > 0 && rate > rateThreshold
                || inProgressThreshold > 0 && inProgressTenths >= inProgressThreshold * 10L;
    }

    private void roll() {
        long now = clock.getAsLong();
        long start = windowStart.get();
        long elapsed = now - start;
        if (elapsed >= WINDOW_MILLIS && windowStart.compareAndSet(start, now)) {
            long accepted = inWindow.sumThenReset();
            long inProgress = inProgressInWindow.sumThenReset();
            // A window longer than one (nothing came for a while) spreads its count over its length.
            lastRate = accepted * 1000 / elapsed;
            lastInProgressTenths = accepted == 0 ? 0 : inProgress * 10 / accepted;
            highWindows = high(lastRate, lastInProgressTenths) ? Math.min(highWindows + 1, SUSTAINED_WINDOWS) : 0;
        }
    }
}
