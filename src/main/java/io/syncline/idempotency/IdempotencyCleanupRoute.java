package io.syncline.idempotency;

import io.syncline.store.StoreOutageRouteConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.builder.RouteBuilder;

/**
 * Housekeeping: idempotency keys older than the dedupe window (syncline.idempotency.retention)
 * are purged. Every replica may run it: the DELETE is the same whoever runs it.
 */
@ApplicationScoped
public class IdempotencyCleanupRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:idempotency-cleanup?period={{syncline.idempotency.cleanup-interval}}&delay=60000")
                .routeId("idempotency-cleanup")
                .routeConfigurationId(StoreOutageRouteConfiguration.ID)
                .description("purge idempotency keys older than the dedupe window")
                .bean("ProcessedKeyRepository", "purgeExpired");
    }
}
