package io.syncline.inbox;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class InboxWorkerQueueTest {

    private final AtomicInteger free = new AtomicInteger();

    @Test
    void withHalfTheQueueFreeTheRoomIsAnsweredAtOnce() throws Exception {
        InboxWorkerQueue queue = new InboxWorkerQueue(free::get, 10, Duration.ofMinutes(5));
        free.set(5);

        assertThat(CompletableFuture.supplyAsync(awaitRoom(queue)).get(10, TimeUnit.SECONDS)).isEqualTo(5);
    }

    @Test
    void theWorkersAreBusyWhileClaimedEventsStillWaitInTheQueue() {
        InboxWorkerQueue queue = new InboxWorkerQueue(free::get, 10, Duration.ofMinutes(5));
        free.set(10);
        assertThat(queue.workersBusy()).as("queue empty").isFalse();
        free.set(9);
        assertThat(queue.workersBusy()).as("one event waiting").isTrue();
    }

    @Test
    void whileLessThanHalfIsFreeItWaitsForTheWorkersToTakeEvents() throws Exception {
        InboxWorkerQueue queue = new InboxWorkerQueue(free::get, 10, Duration.ofMinutes(5));
        free.set(1);

        CompletableFuture<Integer> room = CompletableFuture.supplyAsync(awaitRoom(queue));
        takeOne(queue);
        takeOne(queue);
        takeOne(queue);
        assertThat(room).as("4 of 10 free").isNotDone();
        takeOne(queue);

        assertThat(room.get(10, TimeUnit.SECONDS)).isEqualTo(5);
    }

    @Test
    void aQueueThatStaysFullGivesNoRoomAfterThePollInterval() throws Exception {
        InboxWorkerQueue queue = new InboxWorkerQueue(free::get, 10, Duration.ofMillis(50));
        free.set(0);

        assertThat(CompletableFuture.supplyAsync(awaitRoom(queue)).get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void aTakeBetweenReadingTheRoomAndWaitingIsNotMissed() throws Exception {
        // The first reading finds the queue full; a worker takes an event before the dispatcher
        // waits, so the second reading finds a place.
        Iterator<Integer> readings = List.of(0, 1).iterator();
        InboxWorkerQueue queue = new InboxWorkerQueue(readings::next, 2, Duration.ofMinutes(5));
        queue.taken(List.of("one event"));

        assertThat(CompletableFuture.supplyAsync(awaitRoom(queue)).get(10, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void onceTheApplicationIsStoppingThereIsNoRoomAndAWaitEnds() throws Exception {
        InboxWorkerQueue queue = new InboxWorkerQueue(free::get, 10, Duration.ofMinutes(5));
        free.set(1);
        CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(awaitRoom(queue));

        queue.onStopping();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isZero();
        free.set(10);
        assertThat(queue.awaitRoom()).as("an empty queue, but no more claims").isZero();
    }

    private void takeOne(InboxWorkerQueue queue) {
        free.incrementAndGet();
        queue.taken(List.of("one event"));
    }

    private static java.util.function.Supplier<Integer> awaitRoom(InboxWorkerQueue queue) {
        return () -> {
            try {
                return queue.awaitRoom();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        };
    }
}
