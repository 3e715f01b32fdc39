package io.syncline.inbox;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class InboxArrivalsTest {

    @Test
    void anArrivalBeforeTheWaitIsNotMissedAndIsUsedUpByIt() throws Exception {
        InboxArrivals arrivals = new InboxArrivals(Duration.ofMinutes(5), Duration.ZERO);
        arrivals.arrived();
        arrivals.arrived();
        // One wait takes every arrival signalled before it: returns at once.
        CompletableFuture.runAsync(this.uncheckedAwait(arrivals)).get(10, TimeUnit.SECONDS);

        CompletableFuture<Void> next = CompletableFuture.runAsync(uncheckedAwait(arrivals));
        assertThat(next).isNotDone();
        arrivals.arrived();
        next.get(10, TimeUnit.SECONDS);
    }

    @Test
    void withoutAnArrivalTheWaitEndsAfterThePollInterval() throws Exception {
        InboxArrivals arrivals = new InboxArrivals(Duration.ofMillis(50), Duration.ZERO);
        CompletableFuture.runAsync(uncheckedAwait(arrivals)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void onceTheApplicationIsStoppingAWaitEndsAtOnce() throws Exception {
        InboxArrivals arrivals = new InboxArrivals(Duration.ofMinutes(10), Duration.ZERO);
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(uncheckedAwait(arrivals));

        arrivals.onStopping();

        waiting.get(10, TimeUnit.SECONDS);
        // Later waits too: the dispatcher's loop ends rather than waiting out the poll interval.
        CompletableFuture.runAsync(uncheckedAwait(arrivals)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aWaitAnArrivalEndedLingersForCompanyAndTakesTheArrivalsOfTheLinger() throws Exception {
        Duration linger = Duration.ofMillis(300);
        InboxArrivals arrivals = new InboxArrivals(Duration.ofMinutes(5), linger);
        arrivals.arrived();
        long started = System.nanoTime();
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(uncheckedAwait(arrivals));
        arrivals.arrived();
        waiting.get(10, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(linger);
        // The arrival during the linger goes with the claim after it: the next wait has none to end it.
        CompletableFuture<Void> next = CompletableFuture.runAsync(uncheckedAwait(arrivals));
        assertThat(next).isNotDone();
        arrivals.arrived();
        next.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aStopEndsALingerAtOnce() throws Exception {
        InboxArrivals arrivals = new InboxArrivals(Duration.ofMinutes(10), Duration.ofMinutes(10));
        arrivals.arrived();
        CompletableFuture<Void> lingering = CompletableFuture.runAsync(uncheckedAwait(arrivals));

        arrivals.onStopping();

        lingering.get(10, TimeUnit.SECONDS);
    }

    private Runnable uncheckedAwait(InboxArrivals arrivals) {
        return () -> {
            try {
                arrivals.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
