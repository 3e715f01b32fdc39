package io.syncline.inbox;

import io.syncline.failure.TargetRejectedException;
import io.syncline.failure.TargetUnavailableException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The wait before the next attempt: the backoff, or the target's Retry-After when longer, within the maximum. */
class InboxRetryDelayTest {

    private static final Duration BACKOFF = Duration.ofSeconds(4);
    private static final Duration MAX = Duration.ofMinutes(5);

    private static TargetUnavailableException unavailable(Duration retryAfter) {
        return new TargetUnavailableException("crm", 429, retryAfter, "crm is unavailable", null);
    }

    @Test
    void longerRetryAfterIsHonoured() {
        assertThat(InboxFailureProcessor.retryDelay(BACKOFF, unavailable(Duration.ofSeconds(30)), MAX)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void shorterRetryAfterKeepsTheBackoff() {
        assertThat(InboxFailureProcessor.retryDelay(BACKOFF, unavailable(Duration.ofSeconds(1)), MAX)).isEqualTo(BACKOFF);
    }

    @Test
    void retryAfterBeyondTheMaximumIsCapped() {
        assertThat(InboxFailureProcessor.retryDelay(BACKOFF, unavailable(Duration.ofHours(2)), MAX)).isEqualTo(MAX);
    }

    @Test
    void failuresWithoutRetryAfterKeepTheBackoff() {
        assertThat(InboxFailureProcessor.retryDelay(BACKOFF, unavailable(null), MAX)).isEqualTo(BACKOFF);
        assertThat(InboxFailureProcessor.retryDelay(BACKOFF, new IllegalStateException("db down"), MAX)).isEqualTo(BACKOFF);
        assertThat(InboxFailureProcessor.retryDelay(BACKOFF, null, MAX)).isEqualTo(BACKOFF);
        assertThat(InboxFailureProcessor.retryDelay(BACKOFF, new TargetRejectedException("crm", 400, "bad", "crm rejected"), MAX))
                .isEqualTo(BACKOFF);
    }
}
