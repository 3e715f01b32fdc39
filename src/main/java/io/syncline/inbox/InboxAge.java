package io.syncline.inbox;

import io.syncline.config.SynclineConfig;
import io.syncline.store.StoreReadings;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long the event accepted first among those not yet applied has waited
 * ({@link InboxCounts#oldestWaitingSince}), store-wide: every replica reads the same inbox table.
 * A backlog that drains slowly, or an event kept back by its retries, shows here before anyone
 * asks why a change has not arrived; above {@code syncline.alerts.inbox-age} the backlog is
 * degraded. Read in the background ({@link StoreReadings}), so a scrape or a probe never waits on
 * the store; the age itself is counted from that reading at each call.
 */
@ApplicationScoped
public class InboxAge {

    private final StoreReadings.Reading<Optional<Instant>> oldest;
    private final Duration bound;
    private final Clock clock = Clock.systemUTC();

    public InboxAge(InboxCounts counts, StoreReadings readings, SynclineConfig config) {
        this.oldest = readings.register(counts::oldestWaitingSince);
        this.bound = config.alerts().inboxAge();
    }

    /** Seconds the oldest waiting event has waited: 0 when none waits, NaN while the store cannot tell. */
    public double seconds() {
        Optional<Instant> since = oldest.value();
        if (since == null || oldest.problem() != null) {
            return Double.NaN;
        }
        return since.map(received -> Math.max(0, Duration.between(received, clock.instant()).toMillis()) / 1000.0).orElse(0.0);
    }

    /** How long an event may wait before the backlog is degraded. */
    public Duration bound() {
        return bound;
    }

    /** Whether the oldest waiting event has waited longer than {@link #bound}; false while unknown. */
    public boolean degraded() {
        return seconds() > bound.toMillis() / 1000.0;
    }

    /** Why the age is unknown, or null. */
    public String problem() {
        return oldest.problem();
    }
}
