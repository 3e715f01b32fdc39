package io.syncline.connector.rest;

import io.syncline.connector.spi.RateLimit;
import io.syncline.failure.TargetPausedException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token bucket's reservations on a hand-moved nanosecond clock, and the Retry-After pause. */
class RequestThrottleTest {

    private static final long MS = 1_000_000L;

    private final AtomicLong nanos = new AtomicLong(1_000 * MS);
    private final Clock clock = Clock.fixed(Instant.parse("2024-03-01T09:00:00Z"), ZoneOffset.UTC);

    private RequestThrottle throttle(Double rate, Integer burst) {
        return new RequestThrottle("crm", rate == null ? null : new RateLimit(rate, burst), nanos::get, clock);
    }

    @Test
    void withoutRateLimitNothingWaits() {
        RequestThrottle throttle = throttle(null, null);
        for (int i = 0; i < 1000; i++) {
            assertThat(throttle.reserve()).isZero();
        }
    }

    @Test
    void burstGoesAtOnceThenRequestsQueueAtTheRate() {
        RequestThrottle throttle = throttle(10.0, 3);

        assertThat(throttle.reserve()).isZero();
        assertThat(throttle.reserve()).isZero();
        assertThat(throttle.reserve()).isZero();
        assertThat(throttle.reserve()).isEqualTo(100 * MS);
        assertThat(throttle.reserve()).isEqualTo(200 * MS);

        nanos.addAndGet(200 * MS); // both queued tokens have come in
        assertThat(throttle.reserve()).isEqualTo(100 * MS);
    }

    @Test
    void burstDefaultsToTheRateRoundedDownAndAtLeastOne() {
        RequestThrottle ten = throttle(10.0, null);
        for (int i = 0; i < 10; i++) {
            assertThat(ten.reserve()).isZero();
        }
        assertThat(ten.reserve()).isPositive();

        RequestThrottle slow = throttle(0.5, null);
        assertThat(slow.reserve()).isZero();
        assertThat(slow.reserve()).isEqualTo(2_000 * MS);
    }

    @Test
    void idleTimeRefillsNoMoreThanTheBurst() {
        RequestThrottle throttle = throttle(10.0, 2);
        nanos.addAndGet(60_000 * MS);

        assertThat(throttle.reserve()).isZero();
        assertThat(throttle.reserve()).isZero();
        assertThat(throttle.reserve()).isEqualTo(100 * MS);
    }

    @Test
    void pausedSystemRefusesAtOnceNamingThePausesEnd() {
        RequestThrottle throttle = throttle(null, null);
        throttle.pauseUntil(clock.instant().plusSeconds(30));
        throttle.pauseUntil(clock.instant().plusSeconds(5)); // a shorter pause does not end the longer one

        assertThatThrownBy(() -> throttle.acquire("POST /contacts"))
                .isInstanceOfSatisfying(TargetPausedException.class, e -> {
                    assertThat(e.until()).isEqualTo(clock.instant().plusSeconds(30));
                    assertThat(e.getMessage()).contains("POST /contacts was not sent");
                });
    }
}
