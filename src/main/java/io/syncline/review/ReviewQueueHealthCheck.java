package io.syncline.review;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.sql.SQLException;

/**
 * Lists review items waiting longer than {@code syncline.review.max-age} in the readiness
 * details. Always UP: a queue waiting for people is not an outage, and taking the replicas out
 * of service would not shorten it. (The database's own check reports the database.)
 */
@Readiness
@ApplicationScoped
public class ReviewQueueHealthCheck implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(ReviewQueueHealthCheck.class);
    static final int LISTED = 20;

    private final OverdueReviewItems overdue;

    public ReviewQueueHealthCheck(OverdueReviewItems overdue) {
        this.overdue = overdue;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("syncline-review-queue").up()
                .withData("maxAge", overdue.maxAge().toString());
        try {
            response.withData("overdue", overdue.count());
            for (OverdueReviewItems.Overdue item : overdue.oldest(LISTED)) {
                response.withData("item." + item.id(), item.kind() + " " + item.entity() + " " + item.sourceSystem() + " "
                        + item.sourceId() + (item.targetSystem() == null ? "" : " -> " + item.targetSystem())
                        + ", open for " + item.age().toMinutes() + " min");
            }
        } catch (SQLException e) {
            LOG.debugf("Review queue health query failed: %s", e.getMessage());
            response.withData("error", "review queue not readable: " + e.getMessage());
        }
        return response.build();
    }
}
