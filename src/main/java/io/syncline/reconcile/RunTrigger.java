package io.syncline.reconcile;

import java.time.Instant;

/**
 * Why a run happens: a schedule's fire (with the fire time it answers and the replica that took
 * it) or a person through the admin API, possibly as a dry run that never writes.
 */
public record RunTrigger(String kind, boolean dryRun, Instant scheduledAt, String instanceId, String requestedBy) {

    public static RunTrigger manual(boolean dryRun) {
        return manual(dryRun, null, null);
    }

    /**
     * @param instanceId  the Quartz instance of the replica that runs it: a run whose replica died is found by it
     * @param requestedBy the user who started it (admin API or console), null when not known
     */
    public static RunTrigger manual(boolean dryRun, String instanceId, String requestedBy) {
        return new RunTrigger("manual", dryRun, null, instanceId, requestedBy);
    }

    public static RunTrigger scheduled(Instant fireTime, String instanceId) {
        return new RunTrigger("schedule", false, fireTime, instanceId, null);
    }
}
