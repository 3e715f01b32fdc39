package io.syncline.review;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.syncline.store.StoreReadings;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The review queue's gauges on {@code /q/metrics}: {@code syncline_review_items_open}, the items
 * waiting for a person, and {@code syncline_review_items_overdue}, those of them older than
 * {@code syncline.review.max-age} ({@link OverdueReviewItems}). Counted in the background
 * ({@link StoreReadings}): a scrape answers at once, also while the store is away.
 */
@ApplicationScoped
public class ReviewGauges implements MeterBinder {

    private final StoreReadings.Reading<Long> open;
    private final StoreReadings.Reading<Long> overdue;

    public ReviewGauges(ReviewQueueRepository queue, OverdueReviewItems overdueItems, StoreReadings readings) {
        this.open = readings.register(queue::countOpen);
        this.overdue = readings.register(overdueItems::count);
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        StoreReadings.bind(meters, "syncline.review.items.open", "Review items waiting for a person", open);
        StoreReadings.bind(meters, "syncline.review.items.overdue", "Open review items older than syncline.review.max-age", overdue);
    }
}
