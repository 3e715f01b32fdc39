package io.syncline.inbox;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.exchange.ExchangeContract;
import io.syncline.exchange.RouteContext;
import io.syncline.metrics.SourceActivity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.support.PluginHelper;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The durable inbox stage of the webhook template ({@code process: {ref: InboxIntake}}): stores
 * the request's original payload for the route's entity, source system and apply endpoint
 * (exchange properties {@value ExchangeContract#ENTITY}, {@value ExchangeContract#SOURCE_SYSTEM},
 * {@value ExchangeContract#APPLY_ENDPOINT}) and makes the answer the body:
 * {@code {"status": "accepted", "inboxId": 42}}, or {@code duplicate} with the first delivery's id.
 *
 * <p>Asynchronous where the inbox is: with the inbox in PostgreSQL the event is committed on this
 * thread and the route goes on at once; with the inbox in Kafka the route goes on, on another
 * thread, once the brokers acknowledged the event or the delivery timeout passed, and the thread
 * that brought the request is free meanwhile.
 */
@ApplicationScoped
@Named("InboxIntake")
@RegisterForReflection
public class InboxIntake implements AsyncProcessor {

    @Inject
    InboxSteps inbox;
    @Inject
    SourceActivity activity;

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        String entity;
        String source;
        CompletableFuture<Map<String, Object>> answer;
        try {
            entity = RouteContext.require(exchange, ExchangeContract.ENTITY);
            source = RouteContext.require(exchange, ExchangeContract.SOURCE_SYSTEM);
            answer = inbox.accept(entity, source, RouteContext.require(exchange, ExchangeContract.APPLY_ENDPOINT), exchange)
                    .toCompletableFuture();
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        if (answer.isDone()) {
            answered(exchange, entity, source, answer);
            callback.done(true);
            return true;
        }
        answer.whenComplete((body, failure) -> {
            answered(exchange, entity, source, answer);
            callback.done(false);
        });
        return false;
    }

    private void answered(Exchange exchange, String entity, String source, CompletableFuture<Map<String, Object>> answer) {
        try {
            exchange.getMessage().setBody(answer.join());
            // a duplicate too: the sender is alive
            activity.seen(entity, source, SourceActivity.Kind.WEBHOOK);
        } catch (CompletionException e) {
            exchange.setException(e.getCause() instanceof Exception cause ? cause : e);
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        PluginHelper.getAsyncProcessorAwaitManager(exchange.getContext()).process(this, exchange);
    }

    @Override
    public CompletableFuture<Exchange> processAsync(Exchange exchange) {
        CompletableFuture<Exchange> done = new CompletableFuture<>();
        process(exchange, doneSync -> done.complete(exchange));
        return done;
    }
}
