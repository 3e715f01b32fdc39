package io.syncline.connector.salesforce;

import io.syncline.connector.spi.SystemHealth;
import io.syncline.model.SystemDefinition;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each Salesforce org of the model, in readiness details, as this replica's last call found it:
 * {@code system.<name>.connection} (connected, not called yet, unreachable: …, login refused …),
 * {@code system.<name>.calls-today} with {@code daily-budget} and {@code remaining} where the
 * system has a {@code dailyCallBudget}, and {@code waiting-until} while its calls wait (for the next
 * UTC midnight, the org's next reading of its limits, or the end of a pause of seconds). An org
 * that is down or spent holds up only its own work, while webhooks are still stored and other
 * systems' events flow; nothing here touches liveness.
 */
final class SalesforceHealth {

    static final String NAME = "syncline-salesforce";

    private SalesforceHealth() {
    }

    /** The readiness of the orgs whose calls {@code budget} counts. */
    static SystemHealth of(SalesforceCallBudget budget) {
        return SystemHealth.of(NAME, (system, definition) -> details(budget, system, definition));
    }

    private static Map<String, Object> details(SalesforceCallBudget budget, String system, SystemDefinition definition) {
        SalesforceSettings salesforce = SalesforceSettings.of(definition);
        Map<String, Object> details = new LinkedHashMap<>();
        String prefix = "system." + system + ".";
        SalesforceCallBudget.Usage usage = budget.usage(system).orElse(null);
        details.put(prefix + "connection", usage == null ? "not called yet" : usage.connection());
        details.put(prefix + "calls-today", usage == null ? 0 : usage.used());
        if (salesforce.dailyCallBudget() != null) {
            details.put(prefix + "daily-budget", salesforce.dailyCallBudget());
            long used = usage == null ? 0 : usage.used();
            details.put(prefix + "remaining", Math.max(0, salesforce.dailyCallBudget() - used));
        }
        if (usage != null && usage.waitingUntil() != null) {
            details.put(prefix + "waiting-until", usage.waitingUntil().toString());
        }
        return details;
    }
}
