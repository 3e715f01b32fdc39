package io.syncline.tombstone;

import io.syncline.store.StoreOutageRouteConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.builder.RouteBuilder;

/** Each replica reloads the tombstones of erased people, so that it refuses their changes. */
@ApplicationScoped
public class TombstoneRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:privacy-tombstones?period={{syncline.privacy.tombstone-refresh}}&delay=0")
                .routeId("privacy-tombstones")
                .routeConfigurationId(StoreOutageRouteConfiguration.ID)
                .description("reload the tombstones of erased people, whose changes the apply routes refuse")
                .bean("Tombstones", "reload");
    }
}
