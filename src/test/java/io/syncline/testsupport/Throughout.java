package io.syncline.testsupport;

import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ThrowingRunnable;

import java.time.Duration;

/**
 * "Nothing happens during this time", with Awaitility: an assertion that must hold at every poll
 * for a while, and fails the wait at the first poll where it does not. Awaitility's
 * {@code during} alone is not enough for a state that can come back (a status that flips and
 * flips back): after a poll that failed it starts its window again, and passes if its
 * {@code atMost} leaves room for a second window.
 */
public final class Throughout {

    /** Room past the duration for the last poll to finish: a poll may wait out a request's own bound. */
    private static final Duration LAST_POLL = Duration.ofSeconds(10);

    private Throughout() {
    }

    /**
     * Polls {@code assertion} for {@code duration} with {@code wait}'s settings (poll interval,
     * uncaught exceptions); fails at the first poll where it throws, the failure headed by {@code what}.
     */
    public static void holds(ConditionFactory wait, String what, Duration duration, ThrowingRunnable assertion) {
        wait.during(duration).atMost(duration.plus(LAST_POLL)).failFast(what, assertion).until(() -> true);
    }
}
