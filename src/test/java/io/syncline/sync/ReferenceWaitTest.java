package io.syncline.sync;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A child waiting for its parent is tried again after a pause that grows with its wait, within bounds. */
class ReferenceWaitTest {

    private static final Instant RECEIVED = Instant.parse("2024-03-01T10:00:00Z");
    private static final Instant FAR = RECEIVED.plus(Duration.ofHours(1));

    private static Duration pauseAfter(Duration waited, Instant giveUpAt) {
        Instant now = RECEIVED.plus(waited);
        return Duration.between(now, ReferenceResolver.retryAt(RECEIVED, now, giveUpAt));
    }

    @Test
    void thePauseIsHalfTheWaitSoFarFromASecondToAMinute() {
        assertThat(pauseAfter(Duration.ZERO, FAR)).isEqualTo(Duration.ofSeconds(1));
        assertThat(pauseAfter(Duration.ofSeconds(10), FAR)).isEqualTo(Duration.ofSeconds(5));
        assertThat(pauseAfter(Duration.ofMinutes(30), FAR)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theLastTryIsDueWhenTheWaitEnds() {
        Instant giveUpAt = RECEIVED.plusSeconds(12);
        assertThat(pauseAfter(Duration.ofSeconds(10), giveUpAt)).isEqualTo(Duration.ofSeconds(2));
    }
}
