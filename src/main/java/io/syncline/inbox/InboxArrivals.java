package io.syncline.inbox;

import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes the dispatcher when this replica stores an event, so that an event arriving while the
 * inbox is empty is claimed at once rather than at the next poll. Events another replica stores
 * are found by the poll ({@code syncline.inbox.poll-interval}), which also covers a signal lost
 * to a restart: the signal only shortens a wait, correctness never depends on it.
 */
@ApplicationScoped
@Named("InboxArrivals")
public class InboxArrivals {

    private final Semaphore arrivals = new Semaphore(0);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Duration pollInterval;
    private final Duration linger;
    private volatile boolean stopping;

    @Inject
    public InboxArrivals(SynclineConfig config) {
        this(config.inbox().pollInterval(), config.inbox().claimLinger());
    }

    InboxArrivals(Duration pollInterval, Duration linger) {
        this.pollInterval = pollInterval;
        this.linger = linger;
    }

    /** An event was committed to the inbox. */
    public void arrived() {
        // One pending permit is enough to wake the dispatcher; more would only make it claim in vain.
        if (arrivals.availablePermits() == 0) {
            arrivals.release();
        }
    }

    /**
     * The application is stopping: a wait ends at once, so that the dispatcher's loop sees the stop
     * now rather than after the poll interval (which may be long: Camel would wait for it, up to
     * its shutdown timeout).
     */
    void onStopping() {
        stopping = true;
        stopped.countDown();
        arrivals.release();
    }

    /**
     * Waits for an arrival signalled since the last wait, at most the poll interval:
     * {@code bean: {ref: InboxArrivals, method: await}} after a claim that found nothing more due.
     * An arrival between that claim and this wait is not missed: its permit is already there.
     * <p>
     * After an arrival, lingers ({@code syncline.inbox.claim-linger}) for company, as a producer
     * does before it sends: at a steady rate the next claim then takes the events of the whole
     * linger, applied several in a transaction, instead of one claim and one transaction for each
     * event, which cost the state store about twice a batched event's CPU. Only here, after a claim
     * that found nothing more due: a backlog is claimed without a pause. A stop ends the linger.
     */
    public void await() throws InterruptedException {
        if (stopping) {
            return;
        }
        if (arrivals.tryAcquire(pollInterval.toNanos(), TimeUnit.NANOSECONDS) && !linger.isZero()) {
            stopped.await(linger.toNanos(), TimeUnit.NANOSECONDS);
        }
        // Arrivals during the linger are in the claim that follows.
        arrivals.drainPermits();
    }
}
