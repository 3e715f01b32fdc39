package io.syncline.inbox;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.exchange.ExchangeContract;
import io.syncline.exchange.RouteContext;
import io.syncline.metrics.SourceActivity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The durable inbox stage of the webhook template ({@code process: {ref: InboxIntake}}): stores
 * the request's original payload for the route's entity, source system and apply endpoint
 * (exchange properties {@value ExchangeContract#ENTITY}, {@value ExchangeContract#SOURCE_SYSTEM},
 * {@value ExchangeContract#APPLY_ENDPOINT}) and makes the answer the body:
 * {@code {"status": "accepted", "inboxId": 42}}, or {@code duplicate} with the first delivery's id.
 */
@ApplicationScoped
@Named("InboxIntake")
@RegisterForReflection
public class InboxIntake implements Processor {

    @Inject
    InboxSteps inbox;
    @Inject
    SourceActivity activity;

    @Override
    public void process(Exchange exchange) throws Exception {
        String entity = RouteContext.require(exchange, ExchangeContract.ENTITY);
        String source = RouteContext.require(exchange, ExchangeContract.SOURCE_SYSTEM);
        exchange.getMessage().setBody(inbox.accept(entity, source, RouteContext.require(exchange, ExchangeContract.APPLY_ENDPOINT), exchange));
        // a duplicate too: the sender is alive
        activity.seen(entity, source, SourceActivity.Kind.WEBHOOK);
    }
}
