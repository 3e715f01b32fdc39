package io.syncline.inbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.syncline.store.StoreReadings;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The inbox's gauges on {@code /q/metrics}: {@code syncline_inbox_depth}, events accepted and not
 * yet finished (those of a mapping a schema drift pauses aside: {@code syncline_inbox_paused}
 * counts them), counted in the background ({@link StoreReadings}) so that a scrape answers at
 * once, also while the store is away; {@code syncline_inbox_waiting_for_parent}, those of them
 * whose record waits for a record it names (a contact for its company), counted the same way;
 * {@code syncline_inbox_oldest_age_seconds}, how long the event accepted first among the others
 * has waited ({@link InboxAge}); and {@code syncline_inbox_apply_slots}, the events the
 * workers may apply at once now, fewer than {@code syncline.inbox.workers} while webhooks come in a
 * burst ({@link IntakePriority}).
 */
@ApplicationScoped
public class InboxGauges implements MeterBinder {

    private final StoreReadings.Reading<Long> depth;
    private final StoreReadings.Reading<Long> waitingForParent;
    private final StoreReadings.Reading<Long> paused;
    private final InboxAge age;
    private final IntakePriority intake;

    public InboxGauges(InboxCounts counts, InboxAge age, IntakePriority intake, StoreReadings readings) {
        this.depth = readings.register(counts::depth);
        this.waitingForParent = readings.register(counts::waitingForParent);
        this.paused = readings.register(counts::pausedByDrift);
        this.age = age;
        this.intake = intake;
    }

    /** Pending events of a mapping a schema drift pauses, as last counted; null before the first count, or while unknown. */
    public Long paused() {
        return paused.problem() == null ? paused.value() : null;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        StoreReadings.bind(meters, "syncline.inbox.depth",
                "Accepted events not yet applied, held or dead-lettered, those of a mapping paused by a schema drift aside", depth);
        StoreReadings.bind(meters, "syncline.inbox.paused", "Pending events whose mapping a schema drift pauses, waiting for an admin",
                paused);
        StoreReadings.bind(meters, "syncline.inbox.waiting.for.parent", "Pending events whose record waits for the record it names to be linked",
                waitingForParent);
        Gauge.builder("syncline.inbox.oldest.age", age, InboxAge::seconds).baseUnit("seconds")
                .description("How long the event accepted first among those not yet applied has waited"
                        + " (those waiting for a parent or for a paused mapping aside)")
                .register(meters);
        Gauge.builder("syncline.inbox.apply.slots", intake, IntakePriority::applySlots)
                .description("Events the inbox workers may apply at once now; fewer while webhooks come in a burst")
                .register(meters);
    }
}
