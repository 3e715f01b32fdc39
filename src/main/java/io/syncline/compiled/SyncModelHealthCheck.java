package io.syncline.compiled;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Readiness is DOWN while an edited model failed to reload; the data lists each problem. */
@Readiness
@ApplicationScoped
public class SyncModelHealthCheck implements HealthCheck {

    @Inject
    SyncModelRegistry registry;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("syncline-model");
        var problems = registry.reloadProblems();
        for (int i = 0; i < problems.size(); i++) {
            response.withData("problem." + (i + 1), problems.get(i).toString());
        }
        return response.status(problems.isEmpty()).build();
    }
}
