package io.syncline.inbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.syncline.config.SynclineConfig;
import io.syncline.store.InboxUnavailableException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.service.ServiceHelper;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends accepted webhook events to the inbox topic ({@code syncline.inbox.mode=kafka}); the answer
 * is a future that completes once every in-sync replica has them (acks=all, idempotent producer,
 * so that a retried send is not written twice and each partition keeps the order of the sends),
 * or fails with an {@link InboxUnavailableException} once {@code syncline.inbox.kafka.delivery-timeout}
 * passed without that: the webhook is answered 503 and the sender retries.
 *
 * <p>No caller's thread waits for the brokers. The sends are handed to a thread of the inbox's own
 * ({@code kafka-inbox-send}), since the Kafka client blocks the sending thread while it has no
 * metadata for the topic (brokers away since start-up, a topic that does not exist) for up to
 * {@code max.block.ms}; a send whose request is answered already by then is dropped. The brokers'
 * acknowledgement completes the future on the Kafka component's worker threads, the timeout on a
 * timer thread of the inbox's own.
 *
 * <p>The producer is made at start in Kafka mode only: in the PostgreSQL mode nothing connects to a broker.
 */
@ApplicationScoped
public class KafkaInboxProducer {

    private static final Logger LOG = Logger.getLogger(KafkaInboxProducer.class);
    /** Threads that answer the requests whose delivery timeout passed, as the Kafka component's workers answer the acknowledged ones. */
    private static final int ANSWER_THREADS = 4;

    @Inject
    CamelContext camel;
    @Inject
    ObjectMapper mapper;
    @Inject
    SynclineConfig config;

    private Endpoint endpoint;
    private AsyncProducer producer;
    private ExecutorService sender;
    private ScheduledExecutorService timer;
    private ExecutorService answers;

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

    /**
     * Sends the events of one webhook request, all at once. The future completes once the brokers
     * acknowledged every one, or fails with {@link InboxUnavailableException} when one was refused
     * or the delivery timeout passed first; it never waits longer.
     */
    public CompletableFuture<Void> sendAsync(List<KafkaInboxEnvelope> events) {
        long timeout = config.inbox().kafka().deliveryTimeout().toNanos();
        long deadline = System.nanoTime() + timeout;
        List<String> bodies = new ArrayList<>(events.size());
        for (KafkaInboxEnvelope event : events) {
            bodies.add(json(event));
        }
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        try {
            start();
            sender.execute(() -> {
                if (System.nanoTime() - deadline < 0) {
                    send(events, bodies, acknowledged);
                }
            });
            // the request's route goes on from the thread that fails it: many at once are not answered one after the other
            ScheduledFuture<?> expiry = timer.schedule(() -> answers.execute(() -> acknowledged.completeExceptionally(
                    new TimeoutException("no acknowledgement within " + TimeUnit.NANOSECONDS.toMillis(timeout) + " ms"))),
                    timeout, TimeUnit.NANOSECONDS);
            acknowledged.whenComplete((done, failure) -> expiry.cancel(false));
        } catch (RejectedExecutionException e) {
            // the application stops
            acknowledged.completeExceptionally(e);
        }
        return acknowledged.exceptionallyCompose(cause -> CompletableFuture.failedFuture(unavailable(cause)));
    }

    /** Sends the events and waits until the brokers acknowledged every one (a dead letter's replay, on an admin request's thread). */
    public void send(List<KafkaInboxEnvelope> events) {
        try {
            sendAsync(events).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof InboxUnavailableException unavailable ? unavailable : unavailable(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        }
    }

    /** On the sending thread: each event as its own exchange through the Kafka producer, which calls back on the brokers' answer. */
    private void send(List<KafkaInboxEnvelope> events, List<String> bodies, CompletableFuture<Void> acknowledged) {
        List<CompletableFuture<Void>> sends = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            CompletableFuture<Void> sent = new CompletableFuture<>();
            sends.add(sent);
            Exchange exchange = endpoint.createExchange();
            exchange.getMessage().setHeader(KafkaConstants.KEY, events.get(i).partitionKey());
            exchange.getMessage().setBody(bodies.get(i));
            try {
                producer.process(exchange, doneSync -> {
                    if (exchange.getException() != null) {
                        sent.completeExceptionally(exchange.getException());
                    } else {
                        sent.complete(null);
                    }
                });
            } catch (RuntimeException e) {
                sent.completeExceptionally(e);
            }
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).whenComplete((all, failure) -> {
            if (failure != null) {
                acknowledged.completeExceptionally(failure instanceof CompletionException ? failure.getCause() : failure);
            } else {
                acknowledged.complete(null);
            }
        });
    }

    /** In Kafka mode the producer is made at start, not by the first webhook. */
    void onStart(@Observes StartupEvent event) {
        if (config.inbox().mode() == SynclineConfig.Inbox.InboxMode.KAFKA) {
            start();
        }
    }

    private synchronized void start() {
        if (sender == null) {
            endpoint = camel.getEndpoint(endpoint(config.inbox().kafka()));
            try {
                producer = endpoint.createAsyncProducer();
                ServiceHelper.startService(producer);
            } catch (Exception e) {
                throw new IllegalStateException("the inbox topic's producer cannot be made: " + e.getMessage(), e);
            }
            sender = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "kafka-inbox-send"));
            ScheduledThreadPoolExecutor expiries = new ScheduledThreadPoolExecutor(1,
                    runnable -> daemon(runnable, "kafka-inbox-send-timer"));
            // a send acknowledged in time takes its timeout out of the queue
            expiries.setRemoveOnCancelPolicy(true);
            timer = expiries;
            answers = Executors.newFixedThreadPool(ANSWER_THREADS, runnable -> daemon(runnable, "kafka-inbox-timeout"));
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    @PreDestroy
    synchronized void stop() {
        if (sender != null) {
            sender.shutdownNow();
            timer.shutdownNow();
            answers.shutdownNow();
            ServiceHelper.stopAndShutdownService(producer);
        }
    }

    private static InboxUnavailableException unavailable(Throwable cause) {
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
