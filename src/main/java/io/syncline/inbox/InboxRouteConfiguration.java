package io.syncline.inbox;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling of the inbox path. {@code inbox-dispatcher}: whatever stops one event is
 * handed to {@code inboxFailures} (retry, review queue or dead letter) and the next event goes
 * on. {@code inbox-apply}: apply routes let failures through to the dispatcher untouched.
 */
@ApplicationScoped
public class InboxRouteConfiguration extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        routeConfiguration("inbox-dispatcher")
                .onException(Exception.class)
                .handled(true)
                .to("bean:InboxFailureProcessor?method=handle");
        routeConfiguration("inbox-apply")
                .errorHandler(noErrorHandler());
    }
}
