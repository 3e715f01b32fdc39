package io.syncline.sync;

import io.syncline.exchange.ExchangeContract;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.List;

/**
 * The events an apply route's stage works on. An event applied alone travels the route on its
 * own exchange. The events of an {@link ApplyBatch} travel it together, on the batch's one
 * exchange: each has an exchange of its own that no route runs (its payload, properties and
 * sync unit, as an event alone would have them), listed in the batch exchange's property
 * {@value ExchangeContract#APPLY_EVENTS}, and every stage loops over them. So Camel routes a batch once, not each
 * of its events (a third of a new contact's CPU went on that), while each stage still decides
 * every event as it would alone.
 *
 * <p>A batch runs stage by stage, not event by event: its second event is matched before its
 * first is written. The stages that would let one event of a batch see another's effects refuse
 * such a batch ({@link ApplyBatchDependentException}); it is then applied one event at a time.
 *
 * <p>Stages go through the events with {@link #forEach} or {@link #forEachAdmitted}, which end a
 * batch when the application is stopping ({@link ApplyBatch#stopping()}): a target slow to write
 * would otherwise hold the stop up for a whole batch of writes.
 */
public final class ApplyEvents {

    private ApplyEvents() {
    }

    /** A stage's work on one event. */
    @FunctionalInterface
    public interface EventStage<E extends Exception> {

        void apply(Exchange event) throws E;
    }

    /** Runs the stage on every event on the exchange (the stages up to {@code SyncGuard.admit}). */
    public static <E extends Exception> void forEach(Exchange exchange, EventStage<E> stage) throws E {
        each(exchange, all(exchange), stage);
    }

    /** Runs the stage on the admitted events on the exchange (the stages after {@code SyncGuard.admit}). */
    public static <E extends Exception> void forEachAdmitted(Exchange exchange, EventStage<E> stage) throws E {
        each(exchange, admitted(exchange), stage);
    }

    private static <E extends Exception> void each(Exchange exchange, List<Exchange> events, EventStage<E> stage) throws E {
        ApplyBatch batch = ApplyBatch.of(exchange);
        // the inbox worker's progress stamp: a batch of slow events is not one step that liveness times
        Runnable progress = exchange.getProperty(ExchangeContract.PROGRESS, Runnable.class);
        for (Exchange event : events) {
            if (batch != null && batch.stopping()) {
                throw new ApplyBatchStoppedException();
            }
            if (progress != null) {
                progress.run();
            }
            boolean applied = false;
            try {
                stage.apply(event);
                applied = true;
            } finally {
                if (!applied && batch(exchange)) {
                    // which event failed the batch: a backfill's page takes it out and tries the rest again
                    exchange.setProperty(ExchangeContract.FAILED_EVENT, event);
                }
            }
        }
    }

    /** Whether the exchange carries a batch's events rather than one event. */
    public static boolean batch(Exchange exchange) {
        return exchange.getProperty(ExchangeContract.APPLY_EVENTS) != null;
    }

    /** Every event on the exchange: its own event, or the batch's. For the stages up to {@code SyncGuard.admit}. */
    @SuppressWarnings("unchecked")
    public static List<Exchange> all(Exchange exchange) {
        List<Exchange> events = exchange.getProperty(ExchangeContract.APPLY_EVENTS, List.class);
        return events != null ? events : List.of(exchange);
    }

    /**
     * The events {@code SyncGuard.admit} let through ({@link ExchangeContract#VERDICT} {@code apply}):
     * for the stages after it. An event alone is the route's own filter's to pass or stop.
     */
    public static List<Exchange> admitted(Exchange exchange) {
        if (!batch(exchange)) {
            return List.of(exchange);
        }
        List<Exchange> admitted = new ArrayList<>();
        for (Exchange event : all(exchange)) {
            if (SyncGuard.APPLY.equals(event.getProperty(ExchangeContract.VERDICT))) {
                admitted.add(event);
            }
        }
        return admitted;
    }
}
