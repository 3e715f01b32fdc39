package io.syncline.webhook;

import io.syncline.mapping.RecordRejectedException;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling of the routes that take a source system's messages from a Camel consumer
 * ({@code message-intake}): a message that cannot be read (not JSON, not an object, an id too long)
 * is kept as a dead letter with its reason and handled, so that the consumer acknowledges it and
 * goes on; any other failure (the inbox's store unreachable) fails the exchange, so that the
 * message is not acknowledged and is delivered again.
 */
@ApplicationScoped
public class MessageIntakeRouteConfiguration extends RouteConfigurationBuilder {

    public static final String ID = "message-intake-errors";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(WebhookRejection.class, RecordRejectedException.class)
                .handled(true)
                .to("bean:DeadLetterRepository?method=store");
    }
}
