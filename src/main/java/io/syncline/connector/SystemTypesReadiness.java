package io.syncline.connector;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.spi.SystemHealth;
import io.syncline.connector.spi.SystemType;
import io.syncline.model.SystemDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.Map;
import java.util.TreeMap;

/**
 * The readiness check of each type that has one ({@link SystemType#health()}): at start, one
 * check of the type's name, which lists each system of the model of that type with the details
 * the type gives. Always UP: a system that cannot be reached holds up only its own work.
 */
@ApplicationScoped
public class SystemTypesReadiness {

    private final SystemTypes types;
    private final SyncModelRegistry registry;
    private final HealthRegistry readiness;

    public SystemTypesReadiness(SystemTypes types, SyncModelRegistry registry, @Readiness HealthRegistry readiness) {
        this.types = types;
        this.registry = registry;
        this.readiness = readiness;
    }

    void register(@Observes StartupEvent event) {
        types.all().forEach(type -> type.health().ifPresent(health -> readiness.register(health.check(), () -> call(type, health))));
    }

    private HealthCheckResponse call(SystemType type, SystemHealth health) {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(health.check()).up();
        Map<String, SystemDefinition> systems;
        try {
            systems = new TreeMap<>(registry.current().model().systems());
        } catch (RuntimeException e) {
            return response.build();
        }
        systems.forEach((name, system) -> {
            if (type.name().equals(system.type())) {
                health.details(name, system).forEach((key, value) -> {
                    if (value instanceof Number number) {
                        response.withData(key, number.longValue());
                    } else {
                        response.withData(key, String.valueOf(value));
                    }
                });
            }
        });
        return response.build();
    }
}
