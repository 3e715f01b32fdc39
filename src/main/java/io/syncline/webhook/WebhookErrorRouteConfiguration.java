package io.syncline.webhook;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling shared by every webhook route: a route file opts in with
 * {@code routeConfigurationId: webhook-errors}. Without it Camel answers a failed
 * platform-http exchange with an empty 500.
 */
@ApplicationScoped
public class WebhookErrorRouteConfiguration extends RouteConfigurationBuilder {

    public static final String ID = "webhook-errors";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class)
                .handled(true)
                .to("bean:webhookErrorResponder");
    }
}
