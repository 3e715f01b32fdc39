package io.syncline.privacy.tombstone;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.builder.RouteBuilder;

/** Each replica reloads the tombstones of erased people, so that it refuses their changes. */
@ApplicationScoped
public class TombstoneRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:privacy-tombstones?period={{syncline.privacy.tombstone-refresh}}&delay=0")
                .routeId("privacy-tombstones")
                .description("reload the tombstones of erased people, whose changes the apply routes refuse")
                .bean("Tombstones", "reload");
    }
}
