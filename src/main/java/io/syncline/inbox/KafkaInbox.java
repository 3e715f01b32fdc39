package io.syncline.inbox;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import static io.syncline.exchange.ExchangeContract.ORIGIN_WEBHOOK;

/**
 * The {@link Inbox} in Kafka ({@code syncline.inbox.mode=kafka}, docs/kafka-inbox.md): a webhook's
 * event goes to the inbox topic, partitioned by record, and the webhook answers once the brokers
 * acknowledged it ({@link KafkaInboxProducer}). The topic's consumers take the events into the
 * inbox table ({@link KafkaInboxRoutes}, {@link KafkaInboxRows}), where they are claimed,
 * completed and retried as rows.
 */
@ApplicationScoped
@Identifier("kafka")
public class KafkaInbox extends InboxRows {

    private final KafkaInboxProducer topic;
    private final KafkaInboxRows topicRows;

    public KafkaInbox(InboxRepository rows, StrandedClaims claims, KafkaInboxProducer topic, KafkaInboxRows topicRows) {
        super(rows, claims);
        this.topic = topic;
        this.topicRows = topicRows;
    }

    /**
     * Sends the event to the topic. An event the sender gave no id gets one before it goes, so that
     * a redelivery from the topic (a consumer that stopped before committing its offset) is
     * recognised by the inbox's event id and applied once. A duplicate is found when the consumer
     * takes it in, not here: the answer is always accepted, with the event id.
     */
    @Override
    public Accepted accept(String routeId, String applyEndpoint, String entity, String system, Intake event) {
        return acceptAll(routeId, applyEndpoint, entity, system, List.of(event)).get(0);
    }

    /** Sends the events to the topic all at once, and returns once the brokers acknowledged every one. */
    @Override
    public List<Accepted> acceptAll(String routeId, String applyEndpoint, String entity, String system,
            List<Intake> events) {
        try {
            return acceptAllLater(routeId, applyEndpoint, entity, system, events).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** {@link #accept}, answered once the brokers acknowledged: no thread waits for them ({@link KafkaInboxProducer#sendAsync}). */
    @Override
    public CompletionStage<Accepted> acceptLater(String routeId, String applyEndpoint, String entity, String system,
            Intake event) {
        return acceptAllLater(routeId, applyEndpoint, entity, system, List.of(event)).thenApply(accepted -> accepted.get(0));
    }

    /** Sends the events to the topic all at once; the future completes once the brokers acknowledged every one. */
    @Override
    public CompletionStage<List<Accepted>> acceptAllLater(String routeId, String applyEndpoint, String entity, String system,
            List<Intake> events) {
        List<KafkaInboxEnvelope> envelopes = new ArrayList<>(events.size());
        List<Accepted> accepted = new ArrayList<>(events.size());
        for (Intake event : events) {
            String id = event.eventId() != null ? event.eventId() : KafkaInboxEnvelope.deliveryId(null);
            envelopes.add(new KafkaInboxEnvelope(routeId, applyEndpoint, entity, system, event.recordKey(), id,
                    event.payload(), ORIGIN_WEBHOOK));
            accepted.add(Accepted.sent(id));
        }
        if (envelopes.isEmpty()) {
            return CompletableFuture.completedFuture(accepted);
        }
        return topic.sendAsync(envelopes).thenApply(sent -> accepted);
    }

    /**
     * Back into the topic, in its record's partition: the new row waits, parked, for the consumer
     * to read it back. Sent before the caller commits: a send the brokers refuse rolls the replay
     * back (503).
     */
    @Override
    public long requeue(Connection connection, long inboxId, String replay) throws SQLException {
        Map.Entry<Long, KafkaInboxEnvelope> requeued = topicRows.requeueForTopic(connection, inboxId,
                KafkaInboxEnvelope.deliveryId(replay));
        topic.send(List.of(requeued.getValue()));
        return requeued.getKey();
    }
}
