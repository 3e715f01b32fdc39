package io.syncline.inbox;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.exchange.ExchangeContract;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Progress stamps of the inbox's engine routes, which liveness reads ({@link InboxLivenessCheck}):
 * the dispatcher stamps each lap of its loop, a worker stamps when it takes a chunk of events,
 * again as it begins each event of it and as each stage of the apply route takes up each event
 * ({@link ExchangeContract#PROGRESS}), and its stamp goes when the chunk is done, applied or
 * failed. A stamp grows old only while a thread is stuck inside one step: a wait on a database or
 * an API, each bounded, not a long batch on a slow store that goes on answering.
 */
@ApplicationScoped
@Named("InboxHeartbeat")
@RegisterForReflection
public class InboxHeartbeat {

    private volatile long dispatcherLap = System.nanoTime();
    /** Each worker thread busy with a chunk, and when it last began something. */
    private final Map<Thread, Long> workers = new ConcurrentHashMap<>();
    /** What the apply route's stages tell as they take up each event: on the worker's thread. */
    private final Runnable progress = this::eventBegun;

    /** The dispatcher comes round its loop: {@code bean: {ref: InboxHeartbeat, method: dispatcherLap}}. */
    public void dispatcherLap() {
        dispatcherLap = System.nanoTime();
    }

    /** A worker takes a chunk of events (the exchange): stamped until the chunk is done, whatever its outcome. */
    public void chunkTaken(Exchange exchange) {
        Thread worker = Thread.currentThread();
        workers.put(worker, System.nanoTime());
        exchange.setProperty(ExchangeContract.PROGRESS, progress);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {

            @Override
            public void onDone(Exchange done) {
                workers.remove(worker);
            }
        });
    }

    /** A worker begins an event of its chunk, or a stage of its apply route takes up one of its events. */
    public void eventBegun() {
        workers.computeIfPresent(Thread.currentThread(), (worker, stamp) -> System.nanoTime());
    }

    /** How long ago the dispatcher last came round its loop. */
    Duration sinceDispatcherLap() {
        return Duration.ofNanos(System.nanoTime() - dispatcherLap);
    }

    /** How long the worker stuck longest in one step has been in it; zero when none is busy. */
    Duration longestWorkerStep() {
        long now = System.nanoTime();
        return Duration.ofNanos(workers.values().stream().mapToLong(stamp -> now - stamp).max().orElse(0));
    }

    int busyWorkers() {
        return workers.size();
    }
}
