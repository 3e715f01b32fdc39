package io.syncline.backfill;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.syncline.config.SynclineConfig;
import io.syncline.store.StoreReadings;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;

/**
 * {@code syncline_backfills_stalled} on {@code /q/metrics}: the running backfills that have not
 * moved on (a page read and stored, a run's events applied, an entity done) for {@code syncline.alerts.backfill-stall}, a
 * runner stuck on a page or a source that no longer answers (alert SynclineBackfillStalled).
 * Store-wide: read from the jobs' rows in the background ({@link StoreReadings}), alike on every
 * replica; NaN while the store cannot be read.
 */
@ApplicationScoped
public class BackfillGauges implements MeterBinder {

    private final StoreReadings.Reading<Long> stalled;

    public BackfillGauges(BackfillJobRepository jobs, SynclineConfig config, StoreReadings readings) {
        Clock clock = Clock.systemUTC();
        this.stalled = readings.register(() -> jobs.stalled(clock.instant().minus(config.alerts().backfillStall())));
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        StoreReadings.bind(meters, "syncline.backfills.stalled", "Running backfills that have not moved on for"
                + " syncline.alerts.backfill-stall", stalled);
    }
}
