package io.syncline.rules;

import io.syncline.store.StoreOutageRouteConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.builder.RouteBuilder;

/**
 * Housekeeping: the marks of {@code same (...) within} conditions whose window is over are deleted.
 * Every replica may run it: the DELETE is the same whoever runs it.
 */
@ApplicationScoped
public class RepeatMarksCleanupRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:rule-repeats-cleanup?period={{syncline.inbox.cleanup-interval}}&delay=60000")
                .routeId("rule-repeats-cleanup")
                .routeConfigurationId(StoreOutageRouteConfiguration.ID)
                .description("delete the rules' repeat marks whose window is over")
                .bean("RepeatMarks", "purgeExpired");
    }
}
