package io.syncline.inbox;

import io.quarkus.runtime.Startup;
import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Refuses, at start-up and naming the key, inbox settings that would leave accepted events
 * unapplied: no workers (the queue would have no consumer), a claim of nothing, or batches of
 * no events (or of fewest events above the most).
 */
@Startup
@ApplicationScoped
public class InboxSettingsCheck {

    public InboxSettingsCheck(SynclineConfig config) {
        check(config.inbox().workers(), config.inbox().batchSize(), config.inbox().applyBatch().maxEvents(),
                config.inbox().applyBatch().minEvents());
    }

    static void check(int workers, int batchSize, int batchEvents, int minBatchEvents) {
        if (workers < 1) {
            throw new IllegalArgumentException("syncline.inbox.workers is " + workers + ": it must be at least 1");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("syncline.inbox.batch-size is " + batchSize + ": it must be at least 1");
        }
        if (batchEvents < 1) {
            throw new IllegalArgumentException("syncline.inbox.apply-batch.max-events is " + batchEvents
                    + ": it must be at least 1 (1 applies every event in a transaction of its own)");
        }
        if (minBatchEvents < 1 || minBatchEvents > batchEvents) {
            throw new IllegalArgumentException("syncline.inbox.apply-batch.min-events is " + minBatchEvents
                    + ": it must be between 1 and syncline.inbox.apply-batch.max-events (" + batchEvents + ")");
        }
    }
}
