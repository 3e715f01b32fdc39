package io.syncline.connector.sheets;

import io.syncline.model.SystemDefinition;
import io.syncline.compiled.SyncModelRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.Map;
import java.util.TreeMap;

/**
 * Each Google Sheets system of the model, in readiness details, as this replica's last call found
 * it: {@code system.<name>.connection} is {@code connected}, {@code not called yet}, the service
 * account refused (its key, or a spreadsheet not shared with it) or unreachable. Always UP: a
 * sheet that cannot be reached holds up only its own work, as for any other system.
 */
@Readiness
@ApplicationScoped
public class SheetsHealthCheck implements HealthCheck {

    static final String NAME = "syncline-google-sheets";

    private final SyncModelRegistry registry;
    private final SheetsComponents components;

    public SheetsHealthCheck(SyncModelRegistry registry, SheetsComponents components) {
        this.registry = registry;
        this.components = components;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        Map<String, SystemDefinition> systems;
        try {
            systems = new TreeMap<>(registry.current().model().systems());
        } catch (RuntimeException e) {
            return response.build();
        }
        Map<String, String> states = components.states();
        systems.forEach((name, system) -> {
            if (GoogleSheetsSystemType.NAME.equals(system.type())) {
                String state = states.get(name);
                response.withData("system." + name + ".connection", state == null ? "not called yet" : state.isEmpty() ? "connected" : state);
            }
        });
        return response.build();
    }
}
