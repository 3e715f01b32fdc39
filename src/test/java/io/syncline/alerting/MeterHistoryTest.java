package io.syncline.alerting;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** What the conditions compute from the samples: increases, minimum over a window, the share of late changes. */
class MeterHistoryTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(10);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MeterHistory history = new MeterHistory(registry, WINDOW.plusMinutes(1));
    private final AtomicLong depth = new AtomicLong();

    MeterHistoryTest() {
        Gauge.builder("syncline.inbox.depth", depth, AtomicLong::get).register(registry);
    }

    private Counter failed() {
        return Counter.builder("syncline.events").tag("route", "r").tag("outcome", "failed").register(registry);
    }

    @Test
    void anIncreaseIsMeasuredFromTheLastSampleAtOrBeforeTheWindowsStart() {
        history.sample(T0);
        failed().increment(5);
        history.sample(T0.plus(Duration.ofMinutes(5)));
        failed().increment(2);
        history.sample(T0.plus(Duration.ofMinutes(12)));

        // the window of the last sample starts at minute 2: measured from minute 0's sample
        assertThat(history.increase("events.failed", WINDOW)).isEqualTo(7);
        assertThat(history.increase("events.failed", Duration.ofMinutes(5))).isEqualTo(2);
        assertThat(history.increase("events.received", WINDOW)).isZero();
    }

    @Test
    void theMinimumOverAWindowIsUnknownUntilTheSamplesCoverIt() {
        depth.set(3);
        history.sample(T0);
        assertThat(history.minOver(MeterHistory.DEPTH, WINDOW)).isNaN();
        history.sample(T0.plus(WINDOW));
        assertThat(history.minOver(MeterHistory.DEPTH, WINDOW)).isEqualTo(3);
        depth.set(0);
        history.sample(T0.plus(WINDOW).plusSeconds(60));
        assertThat(history.minOver(MeterHistory.DEPTH, WINDOW)).isZero();
    }

    @Test
    void theShareOfLateChangesCountsOnlyThoseAppliedWithinTheWindow() {
        Timer lag = Timer.builder("syncline.sync.lag").tag("route", "r").publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofHours(2)).serviceLevelObjectives(Duration.ofMinutes(5)).register(registry);
        lag.record(Duration.ofMinutes(10));
        history.sample(T0);
        assertThat(history.shareSlowerThan(Duration.ofMinutes(5), WINDOW)).as("nothing applied since the first sample").isNaN();

        for (int i = 0; i < 9; i++) {
            lag.record(Duration.ofSeconds(20));
        }
        lag.record(Duration.ofMinutes(6));
        history.sample(T0.plusSeconds(60));
        assertThat(history.shareSlowerThan(Duration.ofMinutes(5), WINDOW)).isEqualTo(0.1);
    }
}
