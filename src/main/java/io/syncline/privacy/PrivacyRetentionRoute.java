package io.syncline.privacy;

import io.syncline.store.StoreOutageRouteConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.builder.RouteBuilder;

/**
 * Housekeeping: audit diffs and dead-letter payloads past their entity's retention
 * ({@code syncline.privacy.retention}) are reduced to field names and digests. Every replica may
 * run it: a reduced row is never selected again.
 */
@ApplicationScoped
public class PrivacyRetentionRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:privacy-retention?period={{syncline.privacy.retention-interval}}&delay=60000")
                .routeId("privacy-retention")
                .routeConfigurationId(StoreOutageRouteConfiguration.ID)
                .description("reduce personal data past its retention to field names and digests")
                .bean("PersonalDataRetention", "reduce");
    }
}
