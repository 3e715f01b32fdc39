package io.syncline.capture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Each capture's state ({@code capture.<name>}: capturing with its count and, for a change stream,
 * the position stored, standby on a replica without the lock, waiting for a system out of reach,
 * failed with the reason and when it tries again). DOWN while a capture has failed: its system's
 * changes are not reaching the inbox, and only a person can say why. A capture waiting for its
 * system (a Salesforce org that is down) leaves it UP: it holds up that system's changes only.
 */
@Readiness
@ApplicationScoped
public class ChangeCaptureHealthCheck implements HealthCheck {

    static final String NAME = "syncline-captures";

    @Inject
    ChangeCaptures captures;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        for (CaptureStatus status : captures.statuses()) {
            response.withData("capture." + status.name(), status.describe());
            if (status.state() == SupervisedCapture.State.FAILED) {
                response.down();
            }
        }
        return response.build();
    }
}
