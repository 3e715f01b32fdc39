package io.syncline.inbox;

import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.time.Duration;

/**
 * Liveness of the inbox's engine: DOWN when the dispatcher has not come round its loop, or a
 * worker has been inside one step of an event, for longer than {@code syncline.health.wedged-after},
 * so that the orchestrator restarts a pod that would otherwise stay stuck. A state store that is
 * slow or away does not make it DOWN: every wait on it is bounded, and the loops go on failing
 * and retrying (readiness says the store is away).
 */
@Liveness
@ApplicationScoped
public class InboxLivenessCheck implements HealthCheck {

    static final String NAME = "syncline-inbox-progress";

    @Inject
    InboxHeartbeat heartbeat;
    @Inject
    CamelContext camel;
    @Inject
    SynclineConfig config;

    @Override
    public HealthCheckResponse call() {
        // A dispatcher not started (syncline.inbox.apply=false, route files still loading) or stopping has no laps to make.
        boolean dispatching = camel.getRouteController().getRouteStatus(InboxRoutes.DISPATCHER) == ServiceStatus.Started;
        Duration lap = heartbeat.sinceDispatcherLap();
        Duration step = heartbeat.longestWorkerStep();
        boolean dispatcherWedged = dispatching && lap.compareTo(config.health().wedgedAfter()) > 0;
        boolean workerWedged = step.compareTo(config.health().wedgedAfter()) > 0;
        return HealthCheckResponse.named(NAME).status(!dispatcherWedged && !workerWedged)
                .withData("wedgedAfter", config.health().wedgedAfter().toString())
                .withData("dispatcher", dispatching ? "last lap " + lap.toMillis() + " ms ago" : "not dispatching")
                .withData("busyWorkers", heartbeat.busyWorkers())
                .withData("longestWorkerStepMs", step.toMillis())
                .build();
    }
}
