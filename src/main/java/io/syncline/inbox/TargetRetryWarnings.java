package io.syncline.inbox;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * How loud an event's retry is when its target cannot be reached: a WARN for the first of a
 * target's events in each {@link #INTERVAL}, DEBUG for the rest. A target cut off for half a
 * minute holds up every event bound for it, each retried several times; one line a minute says
 * so, and readiness names the system (docs/reference/failure-modes.md) while the retries go on.
 */
final class TargetRetryWarnings {

    static final Duration INTERVAL = Duration.ofMinutes(1);

    private final Map<String, Long> warnedAt = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    TargetRetryWarnings() {
        this(System::nanoTime);
    }

    TargetRetryWarnings(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The level of a retry of an event for {@code system}, which could not be reached. */
    Logger.Level level(String system) {
        long now = nanoTime.getAsLong();
        boolean[] warn = {false};
        warnedAt.compute(system, (name, last) -> {
            if (last == null || now - last >= INTERVAL.toNanos()) {
                warn[0] = true;
                return now;
            }
            return last;
        });
        return warn[0] ? Logger.Level.WARN : Logger.Level.DEBUG;
    }
}
