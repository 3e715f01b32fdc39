package io.syncline.reconcile;

import java.time.Instant;

/**
 * Why a run happens: a schedule's fire (with the fire time it answers and the replica that took
 * it) or a person through the admin API, possibly as a dry run that never writes.
 */
public record RunTrigger(String kind, boolean dryRun, Instant scheduledAt, String instanceId) {

    public static RunTrigger manual(boolean dryRun) {
        return manual(dryRun, null);
    }

    /** @param instanceId the Quartz instance of the replica that runs it: a run whose replica died is found by it */
    public static RunTrigger manual(boolean dryRun, String instanceId) {
        return new RunTrigger("manual", dryRun, null, instanceId);
    }

    public static RunTrigger scheduled(Instant fireTime, String instanceId) {
        return new RunTrigger("schedule", false, fireTime, instanceId);
    }
}
