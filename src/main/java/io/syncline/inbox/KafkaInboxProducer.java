package io.syncline.inbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.config.SynclineConfig;
import io.syncline.store.InboxUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends accepted webhook events to the inbox topic ({@code syncline.inbox.mode=kafka}) and
 * returns once every in-sync replica has them (acks=all, idempotent producer, so that a retried
 * send is not written twice and each partition keeps the order of the sends). A send the brokers
 * do not acknowledge within {@code syncline.inbox.kafka.delivery-timeout} is an
 * {@link InboxUnavailableException}: the webhook is answered 503 and the sender retries.
 *
 * <p>The endpoint is made at the first send: in the PostgreSQL mode nothing connects to a broker.
 */
@ApplicationScoped
public class KafkaInboxProducer {

    private static final Logger LOG = Logger.getLogger(KafkaInboxProducer.class);

    @Inject
    ProducerTemplate template;
    @Inject
    ObjectMapper mapper;
    @Inject
    SynclineConfig config;

    /** The producer's endpoint: acks from all in-sync replicas, idempotent, every wait bounded by the delivery timeout. */
    static String endpoint(SynclineConfig.Inbox.KafkaInbox settings) {
        long delivery = settings.deliveryTimeout().toMillis();
        long linger = Math.min(5, delivery / 10);
        // delivery.timeout.ms must be at least linger.ms + request.timeout.ms; max.block.ms bounds
        // the wait for metadata when no broker answers at all
        return "kafka:" + settings.topic() + "?brokers=" + settings.brokers()
                + "&requestRequiredAcks=all&enableIdempotence=true&maxInFlightRequest=5"
                + "&deliveryTimeoutMs=" + delivery + "&requestTimeoutMs=" + (delivery - linger)
                + "&lingerMs=" + linger + "&maxBlockMs=" + delivery;
    }

    /** Sends the events of one webhook request, all at once, and waits until the brokers acknowledged every one. */
    public void send(List<KafkaInboxEnvelope> events) {
        SynclineConfig.Inbox.KafkaInbox settings = config.inbox().kafka();
        String uri = endpoint(settings);
        List<CompletableFuture<Exchange>> sends = new ArrayList<>(events.size());
        for (KafkaInboxEnvelope event : events) {
            String body = json(event);
            sends.add(template.asyncSend(uri, exchange -> {
                exchange.getMessage().setHeader(KafkaConstants.KEY, event.partitionKey());
                exchange.getMessage().setBody(body);
            }));
        }
        // the sends were made together; each waits at most what is left of the delivery timeout
        long deadline = System.nanoTime() + settings.deliveryTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
        for (CompletableFuture<Exchange> send : sends) {
            Exchange sent;
            try {
                sent = send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                throw unavailable(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable(e);
            }
            if (sent.getException() != null) {
                throw unavailable(sent.getException());
            }
        }
    }

    private static InboxUnavailableException unavailable(Exception cause) {
        LOG.debugf("The inbox topic did not acknowledge an event: %s", cause.getMessage());
        return new InboxUnavailableException("The inbox's brokers did not acknowledge the event in time", cause);
    }

    private String json(KafkaInboxEnvelope event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an inbox event cannot be written as JSON", e);
        }
    }
}
