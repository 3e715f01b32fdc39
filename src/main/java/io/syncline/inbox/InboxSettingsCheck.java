package io.syncline.inbox;

import io.quarkus.runtime.Startup;
import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Refuses, at start-up and naming the key, inbox settings that would leave accepted events
 * unapplied: no workers (the queue would have no consumer) or a claim of nothing.
 */
@Startup
@ApplicationScoped
public class InboxSettingsCheck {

    public InboxSettingsCheck(SynclineConfig config) {
        check(config.inbox().workers(), config.inbox().batchSize());
    }

    static void check(int workers, int batchSize) {
        if (workers < 1) {
            throw new IllegalArgumentException("syncline.inbox.workers is " + workers + ": it must be at least 1");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("syncline.inbox.batch-size is " + batchSize + ": it must be at least 1");
        }
    }
}
