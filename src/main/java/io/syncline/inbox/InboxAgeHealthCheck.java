package io.syncline.inbox;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The inbox's backlog in the readiness details: {@code backlog} is {@code degraded} while the
 * event accepted first among those not yet applied has waited longer than
 * {@code syncline.alerts.inbox-age} ({@link InboxAge}), else {@code ok}; events of a mapping a
 * schema drift pauses wait for an admin, not for a replica, and are told apart as
 * {@code pausedBySchemaDrift}, never making the backlog degraded. Always UP: a replica
 * taken out of service would take no webhooks and drain no faster, so the backlog is told, not
 * acted on (SynclineInboxBacklogOld pages; the state store's own check reports the store).
 */
@Readiness
@ApplicationScoped
public class InboxAgeHealthCheck implements HealthCheck {

    static final String NAME = "syncline-inbox-backlog";

    private final InboxAge age;
    private final InboxGauges gauges;

    public InboxAgeHealthCheck(InboxAge age, InboxGauges gauges) {
        this.age = age;
        this.gauges = gauges;
    }

    @Override
    public HealthCheckResponse call() {
        double seconds = age.seconds();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up()
                .withData("bound", age.bound().toString());
        if (Double.isNaN(seconds)) {
            return response.withData("backlog", "unknown").withData("error", "inbox " + age.problem()).build();
        }
        response.withData("backlog", age.degraded() ? "degraded" : "ok").withData("oldestWaitingSeconds", (long) seconds);
        Long paused = gauges.paused();
        return (paused == null ? response : response.withData("pausedBySchemaDrift", paused)).build();
    }
}
