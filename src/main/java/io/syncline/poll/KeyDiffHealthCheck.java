package io.syncline.poll;

import io.syncline.store.StoreReadings;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.List;

/**
 * Lists in the readiness details each key diff whose last run was refused (more of the known
 * records gone than a run deletes unconfirmed) or failed, with why, as the state store says
 * (whichever replica ran it). Always UP: deletions waiting for a person's confirmation are no
 * outage, and taking the replicas out of service would hold every webhook too.
 */
@Readiness
@ApplicationScoped
public class KeyDiffHealthCheck implements HealthCheck {

    /** Read in the background at most 5 s ago: readiness never waits on the store. */
    private final StoreReadings.Reading<List<KeyDiffRepository.Run>> needingAttention;

    public KeyDiffHealthCheck(KeyDiffRepository keyDiffs, StoreReadings readings) {
        this.needingAttention = readings.register(keyDiffs::needingAttention);
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("syncline-key-diffs").up();
        List<KeyDiffRepository.Run> runs = needingAttention.value();
        if (runs != null) {
            for (KeyDiffRepository.Run run : runs) {
                response.withData(run.entity() + "." + run.system(), run.outcome() + " at " + run.ranAt() + ": " + run.detail()
                        + (run.confirmedDeletes() == null ? "" : " (" + run.confirmedDeletes() + " deletions confirmed by "
                                + run.confirmedBy() + " for the next run)"));
            }
        }
        if (needingAttention.problem() != null) {
            response.withData("error", "key diffs " + needingAttention.problem());
        }
        return response.build();
    }
}
