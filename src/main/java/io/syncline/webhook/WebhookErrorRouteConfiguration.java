package io.syncline.webhook;

import io.syncline.mapping.RecordHeldException;
import io.syncline.mapping.RecordRejectedException;
import io.syncline.matching.AmbiguousMatchException;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;

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
        RouteConfigurationDefinition configuration = routeConfiguration(ID);
        // Kept, not lost: a rejected record is a dead letter; a held or ambiguous one a review item.
        configuration.onException(RecordRejectedException.class)
                .handled(true)
                .to("bean:DeadLetterRepository?method=store")
                .to("bean:WebhookErrorResponder");
        configuration.onException(RecordHeldException.class, AmbiguousMatchException.class)
                .handled(true)
                .to("bean:ReviewQueueSteps?method=hold")
                .to("bean:WebhookErrorResponder");
        configuration.onException(Exception.class)
                .handled(true)
                .to("bean:WebhookErrorResponder");
    }
}
