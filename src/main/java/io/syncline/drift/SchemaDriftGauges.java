package io.syncline.drift;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.syncline.store.StoreReadings;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * {@code syncline_mappings_paused} on {@code /q/metrics}: the mappings (entity from a source system)
 * that a schema drift pauses now, store-wide, whichever replica paused them. Counted in the
 * background ({@link StoreReadings}): a scrape answers at once, also while the store is away.
 */
@ApplicationScoped
public class SchemaDriftGauges implements MeterBinder {

    private final StoreReadings.Reading<Long> paused;

    public SchemaDriftGauges(SchemaDriftStore store, StoreReadings readings) {
        this.paused = readings.register(store::pausedMappings);
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        StoreReadings.bind(meters, "syncline.mappings.paused", "Mappings paused by a schema drift; their events wait in the inbox",
                paused);
    }
}
