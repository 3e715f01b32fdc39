package io.syncline.inbox;

import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.component.seda.SedaEndpoint;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The room in the workers' queue ({@code seda:inbox-workers}, {@code syncline.inbox.batch-size}
 * events, in chunks), which bounds what the dispatcher claims. Claiming no more than fits means handing the
 * events over never blocks: the dispatcher's loop sees a shutdown within one poll interval, and a
 * replica never holds leased events it cannot start on (another replica could apply them).
 */
@ApplicationScoped
@Named("InboxWorkerQueue")
public class InboxWorkerQueue {

    /** The route consuming the queue ({@link InboxRoutes}). */
    static final String WORKERS_ROUTE = "inbox-workers";

    private final IntSupplier room;
    private final int capacity;
    private final Duration pollInterval;
    /** One permit per event a worker took since the dispatcher last waited, up to the capacity. */
    private final Semaphore taken = new Semaphore(0);
    private volatile boolean stopping;

    @Inject
    public InboxWorkerQueue(CamelContext camel, SynclineConfig config) {
        this(() -> room(camel, config.inbox().batchSize()), config.inbox().batchSize(), config.inbox().pollInterval());
    }

    InboxWorkerQueue(IntSupplier room, int capacity, Duration pollInterval) {
        this.room = room;
        this.capacity = capacity;
        this.pollInterval = pollInterval;
    }

    /**
     * Free places in the queue: {@code setProperty} before the claim. While fewer than half are
     * free, waits (at most the poll interval) for the workers to take events, so that the
     * dispatcher claims in batches rather than one event at a time. Returns 0 when the queue
     * stayed full, or the application is stopping: the dispatcher then claims nothing.
     */
    public int awaitRoom() throws InterruptedException {
        long deadline = System.nanoTime() + pollInterval.toNanos();
        int free;
        while ((free = room.getAsInt()) * 2 < capacity && !stopping) {
            long left = deadline - System.nanoTime();
            // A worker that took an event after the room was read has already left its permit.
            if (left <= 0 || !taken.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                break;
            }
        }
        return stopping ? 0 : free;
    }

    /** The application is stopping: no more claims, and a wait for room ends at once. */
    void onStopping() {
        stopping = true;
        taken.release();
    }

    /**
     * Whether the application is stopping: a worker then hands its event back. A field read, where
     * {@code ${camelContext.status.stopping}} searched the context's hundreds of methods for a
     * getter on every event (6 % of a worker's CPU).
     */
    public boolean stopping() {
        return stopping;
    }

    /**
     * Whether claimed events still wait in the queue: then every worker is busy (an idle one
     * would have taken them), and sharing the next claim out among the workers would not start
     * any of it sooner.
     */
    public boolean workersBusy() {
        return room.getAsInt() < capacity;
    }

    /** A worker took a chunk of events from the queue ({@link InboxBatches#chunks}): its first step. */
    public void taken(List<?> events) {
        int permits = Math.min(events.size(), capacity - taken.availablePermits());
        if (permits > 0) {
            taken.release(permits);
        }
    }

    private static int room(CamelContext camel, int capacity) {
        // The queue of the workers' own endpoint: a lookup by URI could make a second endpoint,
        // and with it a queue of another size, if it ran before the route started.
        Route workers = camel.getRoute(WORKERS_ROUTE);
        if (workers == null || !(workers.getEndpoint() instanceof SedaEndpoint queue)) {
            return capacity;
        }
        // A place holds a chunk of events; the room is counted in events, which the claim is.
        int queued = 0;
        for (Exchange chunk : queue.getQueue()) {
            List<?> events = chunk.getMessage().getBody(List.class);
            queued += events == null ? 1 : events.size();
        }
        return Math.max(0, capacity - queued);
    }
}
