package io.syncline.reconcile;

import java.time.Instant;

/**
 * Why a run happens: a schedule's fire (with the fire time it answers and the replica that took
 * it) or a person through the admin API, possibly as a dry run that never writes.
 */
public record RunTrigger(String kind, boolean dryRun, Instant scheduledAt, String instanceId) {

    public static RunTrigger manual(boolean dryRun) {
        return new RunTrigger("manual", dryRun, null, null);
    }

    public static RunTrigger scheduled(Instant fireTime, String instanceId) {
        return new RunTrigger("schedule", false, fireTime, instanceId);
    }
}
