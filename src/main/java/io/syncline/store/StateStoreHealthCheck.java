package io.syncline.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the state store, from the background probe's last answer ({@link StateStoreProbe}):
 * it answers at once, whatever the network does, and is DOWN while the store does not answer,
 * so that a load balancer sends webhooks to replicas that can store them.
 */
@Readiness
@ApplicationScoped
public class StateStoreHealthCheck implements HealthCheck {

    static final String NAME = "syncline-state-store";

    @Inject
    StateStoreProbe probe;

    @Override
    public HealthCheckResponse call() {
        return probe.response(NAME).build();
    }
}
