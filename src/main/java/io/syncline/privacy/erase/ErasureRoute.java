package io.syncline.privacy.erase;

import io.syncline.store.StoreOutageRouteConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.builder.RouteBuilder;

/**
 * Confirmed erasures, carried out: the parts that are due, split one by one through each system's
 * write path, then the requests whose parts are all settled, finished. Every replica may run it:
 * a part is claimed before it is erased.
 */
@ApplicationScoped
public class ErasureRoute extends RouteBuilder {

    @Override
    public void configure() {
        // @formatter:off: the route indented as the flow it runs
        from("timer:privacy-erasure?period={{syncline.privacy.erasure-interval}}&delay=1000")
                .routeId("privacy-erasure")
                .routeConfigurationId(StoreOutageRouteConfiguration.ID)
                .description("erase the due parts of confirmed erasure requests, each through its system's write path")
                .bean("ErasureSteps", "due")
                .split(body())
                    .bean("ErasureSteps", "erase")
                .end()
                .bean("ErasureSteps", "finish");
        // @formatter:on
    }
}
