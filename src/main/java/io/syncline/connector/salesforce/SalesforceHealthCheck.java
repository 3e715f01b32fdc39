package io.syncline.connector.salesforce;

import io.syncline.model.SalesforceSystem;
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
 * Each Salesforce org of the model, in readiness details, as this replica's last call found it:
 * {@code system.<name>.connection} (connected, not called yet, unreachable: …, login refused …),
 * {@code system.<name>.calls-today} with {@code daily-budget} and {@code remaining} where the
 * system has a {@code dailyCallBudget}, and {@code waiting-until} while its calls wait (for the next
 * UTC midnight, the org's next reading of its limits, or the end of a pause of seconds). Always UP: an org that is down or spent holds up only its own work, while
 * webhooks are still stored and other systems' events flow; nothing here touches liveness.
 */
@Readiness
@ApplicationScoped
public class SalesforceHealthCheck implements HealthCheck {

    static final String NAME = "syncline-salesforce";

    private final SyncModelRegistry registry;
    private final SalesforceCallBudget budget;

    public SalesforceHealthCheck(SyncModelRegistry registry, SalesforceCallBudget budget) {
        this.registry = registry;
        this.budget = budget;
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
        systems.forEach((name, system) -> {
            if (system instanceof SalesforceSystem salesforce) {
                String prefix = "system." + name + ".";
                SalesforceCallBudget.Usage usage = budget.usage(name).orElse(null);
                response.withData(prefix + "connection", usage == null ? "not called yet" : usage.connection());
                response.withData(prefix + "calls-today", usage == null ? 0 : usage.used());
                if (salesforce.dailyCallBudget() != null) {
                    response.withData(prefix + "daily-budget", salesforce.dailyCallBudget());
                    long used = usage == null ? 0 : usage.used();
                    response.withData(prefix + "remaining", Math.max(0, salesforce.dailyCallBudget() - used));
                }
                if (usage != null && usage.waitingUntil() != null) {
                    response.withData(prefix + "waiting-until", usage.waitingUntil().toString());
                }
            }
        });
        return response.build();
    }
}
