package io.syncline.poll;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.sql.SQLException;

/**
 * Lists in the readiness details each key diff whose last run was refused (more of the known
 * records gone than a run deletes unconfirmed) or failed, with why, as the state store says
 * (whichever replica ran it). Always UP: deletions waiting for a person's confirmation are no
 * outage, and taking the replicas out of service would hold every webhook too.
 */
@Readiness
@ApplicationScoped
public class KeyDiffHealthCheck implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(KeyDiffHealthCheck.class);

    private final KeyDiffRepository keyDiffs;

    public KeyDiffHealthCheck(KeyDiffRepository keyDiffs) {
        this.keyDiffs = keyDiffs;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("syncline-key-diffs").up();
        try {
            for (KeyDiffRepository.Run run : keyDiffs.needingAttention()) {
                response.withData(run.entity() + "." + run.system(), run.outcome() + " at " + run.ranAt() + ": " + run.detail()
                        + (run.confirmedDeletes() == null ? "" : " (" + run.confirmedDeletes() + " deletions confirmed by "
                        + run.confirmedBy() + " for the next run)"));
            }
        } catch (SQLException e) {
            LOG.debugf("Key diff health query failed: %s", e.getMessage());
            response.withData("error", "key diffs not readable: " + e.getMessage());
        }
        return response.build();
    }
}
