package io.syncline.inbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * What became of each route listed in {@code syncline.inbox.apply-batch.routes}: batched, never
 * batched because no route has that id (a typo, or a route file that did not load), or applied
 * one event at a time since it wrote outside the state store's transaction. Always UP: an event
 * of a route not batched is applied all the same, one per transaction; only slower.
 */
@Readiness
@ApplicationScoped
public class ApplyBatchesHealthCheck implements HealthCheck {

    static final String NAME = "syncline-apply-batches";

    @Inject
    InboxBatches batches;
    @Inject
    CamelContext camel;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up().withData("maxEvents", batches.maxEvents());
        batches.listedRoutes().forEach((route, refused) -> response.withData("route." + route, describe(route, refused)));
        return response.build();
    }

    private String describe(String route, boolean refused) {
        if (camel.getRoute(route) == null) {
            return "no route has this id: not batched";
        }
        return refused ? "one event at a time: it wrote outside the state store's transaction" : "batched";
    }
}
