package io.syncline.routes;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness is DOWN while any route file failed to load; the data names each file and why.
 * Routes that loaded but cannot start are reported by Camel's own routes check.
 */
@Readiness
@ApplicationScoped
public class RouteFilesHealthCheck implements HealthCheck {

    @Inject
    RouteFileProblems problems;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("syncline-route-files");
        var current = problems.snapshot();
        current.forEach(response::withData);
        return response.status(current.isEmpty()).build();
    }
}
