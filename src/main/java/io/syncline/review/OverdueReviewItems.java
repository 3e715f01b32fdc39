package io.syncline.review;

import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Open review items that have waited longer than {@code syncline.review.max-age}, for the
 * review-queue health check and the overdue gauge; the queue's SQL is {@link ReviewQueueRepository}'s.
 */
@ApplicationScoped
public class OverdueReviewItems {

    /** An overdue item, as ops see it. */
    public record Overdue(long id, String kind, String entity, String sourceSystem, String sourceId, String targetSystem,
            Duration age) {
    }

    @Inject
    ReviewQueueRepository queue;
    @Inject
    SynclineConfig config;
    private final Clock clock = Clock.systemUTC();

    public Duration maxAge() {
        return config.review().maxAge();
    }

    public long count() throws SQLException {
        return queue.countOpenCreatedBefore(clock.instant().minus(config.review().maxAge()));
    }

    /** The oldest overdue items, at most {@code limit}. */
    public List<Overdue> oldest(int limit) throws SQLException {
        return queue.oldestOpenCreatedBefore(clock.instant().minus(config.review().maxAge()), limit);
    }
}
