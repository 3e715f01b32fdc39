package io.syncline.inbox;

import io.quarkus.runtime.Startup;
import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Refuses, at start-up and naming the key, inbox settings that would leave accepted events
 * unapplied or unstored: no workers (the queue would have no consumer), a claim of nothing,
 * batches of no events (or of fewest events above the most), or no committer for the webhooks.
 */
@Startup
@ApplicationScoped
public class InboxSettingsCheck {

    public InboxSettingsCheck(SynclineConfig config) {
        check(config.inbox().workers(), config.inbox().batchSize(), config.inbox().applyBatch().maxEvents(),
                config.inbox().applyBatch().minEvents());
        checkIntake(config.inbox().intake().committers(), config.inbox().intake().maxEvents());
    }

    static void checkIntake(int committers, int maxEvents) {
        if (committers < 1) {
            throw new IllegalArgumentException("syncline.inbox.intake.committers is " + committers
                    + ": it must be at least 1 (no committer would leave every webhook waiting)");
        }
        if (maxEvents < 1) {
            throw new IllegalArgumentException("syncline.inbox.intake.max-events is " + maxEvents
                    + ": it must be at least 1 (1 commits every webhook's event on its own)");
        }
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
