package io.syncline.webhook;

import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.quarkus.main.events.AfterConfigure;

/**
 * With the inbox in Kafka ({@code syncline.inbox.mode=kafka}) the webhooks' answer waits for the
 * brokers' acknowledgement; the platform-http routes then run on {@link AsyncPlatformHttpEngine},
 * so that no worker thread waits with them and the health probes, which need those threads, answer
 * at once while the brokers are away. With the inbox in PostgreSQL, whose answer waits for a commit
 * on the worker thread anyway, Camel's own consumer stays.
 */
@ApplicationScoped
public class AsyncWebhookAnswers {

    @Inject
    SynclineConfig config;

    // before any route, so before any consumer is made
    void onAfterConfigure(@Observes AfterConfigure event) {
        if (config.inbox().mode() != SynclineConfig.Inbox.InboxMode.KAFKA) {
            return;
        }
        CamelContext camel = event.getCamelContext();
        PlatformHttpComponent component = camel.getComponent("platform-http", PlatformHttpComponent.class);
        AsyncPlatformHttpEngine engine = new AsyncPlatformHttpEngine();
        engine.setCamelContext(camel);
        if (component.getEngine() instanceof VertxPlatformHttpEngine camels) {
            engine.setHandlers(camels.getHandlers());
        }
        component.setEngine(engine);
    }
}
