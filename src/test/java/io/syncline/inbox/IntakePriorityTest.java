package io.syncline.inbox;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class IntakePriorityTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final IntakePriority priority = new IntakePriority(8, 2, 1_500, 8, now::get);

    private void accept(int requests, long overMillis) {
        long start = now.get();
        for (int i = 0; i < requests; i++) {
            now.set(start + (i + 1) * overMillis / requests);
            priority.accepted();
        }
    }

    @Test
    void everyWorkerAppliesWhileWebhooksComeAtAnOrdinaryRate() {
        accept(100, 100); // 1,000/s
        now.addAndGet(1);
        assertThat(priority.rate()).isBetween(900L, 1_100L);
        assertThat(priority.applySlots()).isEqualTo(8);
    }

    @Test
    void aBurstLeavesTwoWorkersApplyingUntilItIsOver() {
        accept(400, 100); // 4,000/s
        accept(400, 100);
        assertThat(priority.applySlots()).as("two windows: not yet a burst").isEqualTo(8);
        accept(400, 100);
        assertThat(priority.rate()).isGreaterThan(1_500L);
        assertThat(priority.applySlots()).isEqualTo(2);

        now.addAndGet(250); // nothing came since
        assertThat(priority.applySlots()).isEqualTo(8);
    }

    @Test
    void aRateHoveringAboutTheThresholdKeepsTheBurstUntilItFallsBelowHalf() {
        accept(200, 100); // 2,000/s for three windows: a burst
        accept(200, 100);
        accept(200, 100);
        now.addAndGet(1);
        assertThat(priority.applySlots()).isEqualTo(2);
        accept(140, 100); // 1,400/s: below the threshold, not below half of it
        now.addAndGet(1);
        assertThat(priority.applySlots()).isEqualTo(2);
        accept(160, 100); // 1,600/s
        now.addAndGet(1);
        assertThat(priority.applySlots()).isEqualTo(2);
        accept(70, 100); // 700/s: over
        now.addAndGet(1);
        assertThat(priority.applySlots()).isEqualTo(8);
        accept(140, 100); // 1,400/s again: no burst began
        now.addAndGet(1);
        assertThat(priority.applySlots()).isEqualTo(8);
    }

    private void acceptWhileInProgress(int requests, int inProgress) {
        long start = now.get();
        for (int i = 0; i < requests; i++) {
            now.set(start + (i + 1) * 100L / requests);
            priority.accepted(inProgress);
        }
        now.addAndGet(1);
    }

    @Test
    void manyRequestsInProgressAreABurstAtAnyRate() {
        // 200 requests/s, far below the rate threshold, but answered so slowly that 12 are in
        // progress: a machine slower than the one the rate was chosen on, or applying slowing intake.
        acceptWhileInProgress(20, 12);
        acceptWhileInProgress(20, 12);
        acceptWhileInProgress(20, 12);
        assertThat(priority.rate()).isLessThan(1_500L);
        assertThat(priority.applySlots()).isEqualTo(2);
        acceptWhileInProgress(20, 5); // below the threshold of 8, not below half of it
        assertThat(priority.applySlots()).isEqualTo(2);
        acceptWhileInProgress(20, 3); // over
        assertThat(priority.applySlots()).isEqualTo(8);
        acceptWhileInProgress(20, 7); // below the threshold: no burst began
        assertThat(priority.applySlots()).isEqualTo(8);
    }

    /** A stall of a window or two (a collection, a checkpoint) raises the requests in progress as a burst does. */
    @Test
    void aSignalLastingLessThanThreeWindowsIsAHiccupNotABurst() {
        acceptWhileInProgress(20, 12);
        assertThat(priority.applySlots()).isEqualTo(8);
        acceptWhileInProgress(20, 12);
        assertThat(priority.applySlots()).isEqualTo(8);
        acceptWhileInProgress(20, 2); // over before it became a burst
        assertThat(priority.applySlots()).isEqualTo(8);
        acceptWhileInProgress(20, 12);
        acceptWhileInProgress(20, 12);
        assertThat(priority.applySlots()).as("the count starts again after a quiet window").isEqualTo(8);
        acceptWhileInProgress(20, 12);
        assertThat(priority.applySlots()).isEqualTo(2);
    }

    @Test
    void anInProgressOfZeroTurnsThatSignalOff() {
        IntakePriority rateOnly = new IntakePriority(8, 2, 1_500, 0, now::get);
        burst(rateOnly, 20, 100);
        assertThat(rateOnly.applySlots()).isEqualTo(8);
    }

    @Test
    void zeroForBothSignalsTurnsThePriorityOff() {
        IntakePriority off = new IntakePriority(8, 2, 0, 0, now::get);
        burst(off, 10_000, 100);
        assertThat(off.applySlots()).isEqualTo(8);
    }

    @Test
    void underLoadAtLeastOneAndAtMostEveryWorkerApplies() {
        assertThat(new IntakePriority(4, 0, 1, 0, now::get).applySlots()).isEqualTo(4);
        IntakePriority one = new IntakePriority(4, 0, 1, 0, now::get);
        burst(one, 100, 1);
        assertThat(one.applySlots()).isEqualTo(1);
        IntakePriority capped = new IntakePriority(4, 9, 1, 0, now::get);
        burst(capped, 100, 1);
        assertThat(capped.applySlots()).isEqualTo(4);
    }

    /** Three windows in a row, each with {@code requests} accepted while {@code inProgress} were in progress. */
    private void burst(IntakePriority intake, int requests, int inProgress) {
        for (int window = 0; window < IntakePriority.SUSTAINED_WINDOWS; window++) {
            for (int i = 0; i < requests; i++) {
                intake.accepted(inProgress);
            }
            now.addAndGet(IntakePriority.WINDOW_MILLIS);
        }
        intake.rate();
    }
}
