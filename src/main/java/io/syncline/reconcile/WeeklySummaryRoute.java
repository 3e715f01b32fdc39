package io.syncline.reconcile;

import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.builder.RouteBuilder;

/**
 * The weekly summary of every job's runs, to the notification webhook, so that silence is never
 * mistaken for health. On the clustered Quartz scheduler like the jobs' schedules: one replica
 * sends it. Only where a notification URL is set and schedules are enabled.
 */
@ApplicationScoped
public class WeeklySummaryRoute extends RouteBuilder {

    static final String ID = "reconciliation-weekly-summary";

    private final SynclineConfig config;
    private final ReconciliationSchedules schedules;

    public WeeklySummaryRoute(SynclineConfig config, ReconciliationSchedules schedules) {
        this.config = config;
        this.schedules = schedules;
    }

    @Override
    public void configure() {
        if (!schedules.weeklySummary()) {
            return;
        }
        fromF("quartz:" + ReconciliationSchedules.SUMMARY_GROUP + "/weekly-summary?cron=%s&stateful=true&trigger.timeZone=UTC",
                config.reconciliation().weeklySummary().replace(' ', '+'))
                .routeId(ID)
                .description("Quartz trigger -> weekly reconciliation summary -> notification webhook")
                .bean("ReconciliationStages", "weeklySummary");
    }
}
