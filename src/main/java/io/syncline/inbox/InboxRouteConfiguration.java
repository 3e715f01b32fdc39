package io.syncline.inbox;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling of the inbox path. {@code inbox-dispatcher}: whatever stops one event is
 * handed to {@code inboxFailures} (retry, review queue or dead letter) and the next event goes
 * on. {@code inbox-apply}: apply routes let failures through to the dispatcher untouched, naming
 * the route that failed ({@link FailedRoute}).
 */
@ApplicationScoped
public class InboxRouteConfiguration extends RouteConfigurationBuilder {

    /** The route configuration of apply routes and fan-outs. */
    public static final String APPLY = "inbox-apply";

    @Override
    public void configuration() {
        // Before any apply route is made: the model's are made once the route files are loaded.
        getContext().addRoutePolicyFactory(new FailedRoute());
        routeConfiguration("inbox-dispatcher")
                .onException(Exception.class)
                .handled(true)
                .to("bean:InboxFailureProcessor?method=handle");
        routeConfiguration(APPLY)
                .errorHandler(noErrorHandler());
    }
}
