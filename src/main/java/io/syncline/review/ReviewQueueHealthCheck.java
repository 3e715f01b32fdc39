package io.syncline.review;

import io.syncline.store.StoreReadings;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.List;

/**
 * Lists review items waiting longer than {@code syncline.review.max-age} in the readiness
 * details, as read in the background at most 5 s ago ({@link StoreReadings}): readiness never
 * waits on the store. Always UP: a queue waiting for people is not an outage, and taking the
 * replicas out of service would not shorten it. (The state store's own check reports the store.)
 */
@Readiness
@ApplicationScoped
public class ReviewQueueHealthCheck implements HealthCheck {

    static final int LISTED = 20;

    /** What the details show: how many are overdue, and the oldest of them. */
    private record Overdue(long count, List<OverdueReviewItems.Overdue> oldest) {
    }

    private final OverdueReviewItems overdue;
    private final StoreReadings.Reading<Overdue> reading;

    public ReviewQueueHealthCheck(OverdueReviewItems overdue, StoreReadings readings) {
        this.overdue = overdue;
        this.reading = readings.register(() -> new Overdue(overdue.count(), overdue.oldest(LISTED)));
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("syncline-review-queue").up()
                .withData("maxAge", overdue.maxAge().toString());
        Overdue last = reading.value();
        if (last != null) {
            response.withData("overdue", last.count());
            for (OverdueReviewItems.Overdue item : last.oldest()) {
                response.withData("item." + item.id(), item.kind() + " " + item.entity() + " " + item.sourceSystem() + " "
                        + item.sourceId() + (item.targetSystem() == null ? "" : " -> " + item.targetSystem())
                        + ", open for " + item.age().toMinutes() + " min");
            }
        }
        if (reading.problem() != null) {
            response.withData("error", "review queue " + reading.problem());
        }
        return response.build();
    }
}
