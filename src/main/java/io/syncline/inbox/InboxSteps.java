package io.syncline.inbox;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.config.SynclineConfig;
import io.syncline.exchange.ExchangeContract;
import io.syncline.mapping.FieldContract;
import io.syncline.mapping.FieldPaths;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.store.PlanRefresh;
import io.syncline.sync.ApplyBatch;
import io.syncline.sync.ApplyEvents;
import io.syncline.sync.SyncUnit;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.model.RestSystem;
import io.syncline.webhook.IntakeIds;
import io.syncline.webhook.WebhookEventSplitter;
import io.syncline.webhook.RequestsInProgress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.syncline.exchange.ExchangeContract.INBOX_COMPLETED;
import static io.syncline.exchange.ExchangeContract.INBOX_DRAINED;
import static io.syncline.exchange.ExchangeContract.EVENT_ID;
import static io.syncline.exchange.ExchangeContract.EVENT_ID_HEADER;
import static io.syncline.exchange.ExchangeContract.INBOX_ID;

/**
 * The inbox's route steps, which take the exchange: {@link #accept} commits an event before the
 * webhook answers 202; {@link #claim} hands due events to a worker under a lease, so that a worker
 * that dies mid-event leaves it to be claimed again once the lease runs out; {@link #handBack} and
 * {@link #complete} end a claim. The SQL is {@link InboxRepository}'s, which takes plain values.
 */
@ApplicationScoped
@Named("InboxSteps")
@RegisterForReflection
public class InboxSteps {

    /** Accepted for later processing (RFC 9110 §15.3.3): stored, applied by the workers. */
    private static final int DEFAULT_ANSWER_STATUS = 202;

    private final InboxRepository inbox;
    private final ObjectMapper mapper;
    private final SyncModelRegistry registry;
    private final SynclineConfig.Inbox settings;
    private final IntakePriority intake;
    private final RequestsInProgress requests;
    private final PlanRefresh plans;
    private final StrandedClaims stranded;
    private final KafkaInboxProducer topic;

    public InboxSteps(InboxRepository inbox, SyncModelRegistry registry, SynclineConfig config, IntakePriority intake,
                      RequestsInProgress requests, PlanRefresh plans, StrandedClaims stranded, ObjectMapper mapper,
                      KafkaInboxProducer topic) {
        this.inbox = inbox;
        this.topic = topic;
        this.stranded = stranded;
        this.mapper = mapper;
        this.plans = plans;
        this.registry = registry;
        this.settings = config.inbox();
        this.intake = intake;
        this.requests = requests;
    }

    /**
     * Stores the exchange's original payload for {@code applyEndpoint} and answers with the inbox
     * id (the webhook template's {@link InboxIntake} stage).
     * An event id the source already delivered is not stored again: the answer is
     * {@code duplicate} with the first delivery's inbox id. A source system whose
     * {@code webhook.events} says where its events are has each event stored as its own entry
     * ({@link WebhookEventSplitter}), and the answer lists them. Either way the answer's HTTP status
     * and body are the system's {@code webhook.answer} (properties {@value ExchangeContract#ANSWER_STATUS},
     * {@value ExchangeContract#ANSWER_EMPTY}).
     */
    public Map<String, Object> accept(String entity, String system, String applyEndpoint, Exchange exchange)
            throws SQLException {
        intake.accepted(requests.count());
        RestSystem rest = registry.current().model().systems().get(system) instanceof RestSystem found ? found : null;
        RestSystem.Webhook webhook = rest == null ? null : rest.webhook();
        answerAs(webhook == null ? null : webhook.answer(), exchange);
        Object body = exchange.getMessage().getBody();
        // The source's own record id orders the events of one record; the contract says where it is.
        FieldContract contract = registry.current().transformer().contract(entity, system);
        String schemeEventId = exchange.getProperty(EVENT_ID, String.class);
        String idHeader = webhook != null && webhook.events() != null && webhook.events().idHeader() != null
                ? webhook.events().idHeader() : EVENT_ID_HEADER;
        String eventId = schemeEventId != null ? IntakeIds.eventId(schemeEventId, "event id")
                : IntakeIds.eventId(exchange.getMessage().getHeader(idHeader, String.class), idHeader);
        if (webhook != null && webhook.events() != null) {
            return acceptEvents(entity, system, applyEndpoint, exchange, WebhookEventSplitter.split(rest.webhookEvents(), body,
                    contract.keySteps(), contract.keyPath(), eventId));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> record = body instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
        String recordKey = IntakeIds.recordKey(record == null ? null : FieldPaths.get(record, contract.keySteps()),
                contract.keyPath());
        if (kafka()) {
            String id = eventId != null ? eventId : generatedEventId();
            topic.send(List.of(new KafkaInboxEnvelope(exchange.getFromRouteId(), applyEndpoint, entity, system, recordKey,
                    id, exchange.getProperty(ExchangeContract.ORIGINAL_PAYLOAD, String.class), InboxRepository.ORIGIN_WEBHOOK)));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("status", "accepted");
            answer.put("eventId", id);
            return answer;
        }
        InboxRepository.Accepted accepted = inbox.accept(exchange.getFromRouteId(), applyEndpoint, entity, system,
                recordKey, eventId, exchange.getProperty(ExchangeContract.ORIGINAL_PAYLOAD, String.class));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", accepted.stored() ? "accepted" : "duplicate");
        answer.put("inboxId", accepted.id());
        return answer;
    }

    /**
     * A request of several events (or one wrapped in an envelope): each becomes its own inbox entry,
     * the record alone as its payload, all in one transaction before the answer.
     */
    private Map<String, Object> acceptEvents(String entity, String system, String applyEndpoint, Exchange exchange,
                                             WebhookEventSplitter.Split split) throws SQLException {
        List<InboxRepository.Intake> intakes = new ArrayList<>(split.events().size());
        for (WebhookEventSplitter.IntakeEvent event : split.events()) {
            intakes.add(new InboxRepository.Intake(event.recordKey(), event.eventId(), json(event.record())));
        }
        if (kafka()) {
            return sendEvents(entity, system, applyEndpoint, exchange, intakes, split.skipped());
        }
        List<InboxRepository.Accepted> stored = intakes.isEmpty() ? List.of()
                : inbox.acceptAll(exchange.getFromRouteId(), applyEndpoint, entity, system, intakes);
        List<Map<String, Object>> events = new ArrayList<>(stored.size());
        int duplicates = 0;
        for (InboxRepository.Accepted accepted : stored) {
            duplicates += accepted.stored() ? 0 : 1;
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("status", accepted.stored() ? "accepted" : "duplicate");
            event.put("inboxId", accepted.id());
            events.add(event);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "accepted");
        answer.put("accepted", stored.size() - duplicates);
        answer.put("duplicates", duplicates);
        answer.put("skipped", split.skipped());
        answer.put("events", events);
        return answer;
    }

    private boolean kafka() {
        return settings.mode() == SynclineConfig.Inbox.InboxMode.KAFKA;
    }

    /**
     * An event the sender gave no id: one is made before it goes to the topic, so that a
     * redelivery from the topic (a consumer that stopped before committing its offset) is
     * recognised by the inbox's event id and applied once.
     */
    private static String generatedEventId() {
        return KafkaInboxEnvelope.deliveryId(null);
    }

    /** {@link #acceptEvents} with the inbox in Kafka: each event to the topic, the answer once all are acknowledged. */
    private Map<String, Object> sendEvents(String entity, String system, String applyEndpoint, Exchange exchange,
                                           List<InboxRepository.Intake> intakes, Object skipped) {
        List<KafkaInboxEnvelope> envelopes = new ArrayList<>(intakes.size());
        List<Map<String, Object>> events = new ArrayList<>(intakes.size());
        for (InboxRepository.Intake intake : intakes) {
            String id = intake.eventId() != null ? intake.eventId() : generatedEventId();
            envelopes.add(new KafkaInboxEnvelope(exchange.getFromRouteId(), applyEndpoint, entity, system,
                    intake.recordKey(), id, intake.payload(), InboxRepository.ORIGIN_WEBHOOK));
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("status", "accepted");
            event.put("eventId", id);
            events.add(event);
        }
        if (!envelopes.isEmpty()) {
            topic.send(envelopes);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "accepted");
        answer.put("accepted", envelopes.size());
        answer.put("duplicates", 0);
        answer.put("skipped", skipped);
        answer.put("events", events);
        return answer;
    }

    private String json(Map<String, Object> record) {
        try {
            return mapper.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            // a record just parsed from JSON always writes back
            throw new IllegalStateException("an event's record cannot be written as JSON", e);
        }
    }

    private static void answerAs(RestSystem.WebhookAnswer answer, Exchange exchange) {
        exchange.setProperty(ExchangeContract.ANSWER_STATUS,
                answer == null || answer.status() == null ? DEFAULT_ANSWER_STATUS : answer.status());
        exchange.setProperty(ExchangeContract.ANSWER_EMPTY, answer != null && answer.body() == RestSystem.AnswerBody.EMPTY);
    }

    /**
     * Claims due events for the dispatcher, at most {@code room} (the free places in the workers'
     * queue, {@link InboxWorkerQueue#awaitRoom()}), so that queueing them never blocks:
     * {@code bean: {ref: InboxSteps, method: "claim(${exchange}, ${exchangeProperty.SynclineInboxRoom})"}}.
     * Sets property {@value ExchangeContract#INBOX_DRAINED} when there was room but fewer events due than it
     * asked for: nothing more was due, and the dispatcher waits for the next arrival before it claims
     * again (rather than claiming once more in vain, a transaction of two statements for nothing).
     * Otherwise it hands the events to the workers' queue and claims again at once, while they
     * are applied. Claims that lost their way while the state store was away are released first
     * ({@link StrandedClaims}), so that this claim takes them again.
     */
    public List<InboxEvent> claim(Exchange exchange, int room) throws SQLException {
        int limit = Math.min(room, settings.batchSize());
        List<InboxEvent> events = stranded.claim(limit);
        exchange.setProperty(INBOX_DRAINED, room > 0 && events.size() < limit);
        // the tables the apply path writes grow with the events applied: their plans are made again as they do
        plans.claimed(events.size());
        return events;
    }

    /**
     * Gives a claimed event (the exchange's body), or a batch's events, back unapplied, as if never
     * claimed (pending, no lease, the claim's attempt not counted): {@code bean: {ref: InboxSteps,
     * method: handBack}} when a worker comes to them while the application stops. The next
     * claim, by this replica's successor or by another replica, takes them at once instead of
     * after the lease ({@link InboxRepository#handBack(List)}).
     */
    public void handBack(Exchange exchange) throws SQLException {
        Object body = exchange.getMessage().getBody();
        @SuppressWarnings("unchecked")
        List<InboxEvent> events = body instanceof List<?> batch ? (List<InboxEvent>) batch
                : List.of(exchange.getMessage().getBody(InboxEvent.class));
        inbox.handBack(events);
    }

    /**
     * The event was applied: {@code bean: {ref: InboxSteps, method: "complete(${exchange})"}}. Nothing
     * to do when the apply route already marked it done in the transaction that applied it
     * ({@link InboxRepository#complete(java.sql.Connection, long)}, property {@value ExchangeContract#INBOX_COMPLETED}).
     */
    public void complete(Exchange exchange) throws SQLException {
        ApplyEvents.forEach(exchange, this::completeEvent);
    }

    private void completeEvent(Exchange exchange) throws SQLException {
        SyncUnit unit = exchange.getProperty(ExchangeContract.SYNC_UNIT, SyncUnit.class);
        if (unit != null && unit.isOpen()) {
            // Marking the event done now would lose what the unit has not committed.
            throw new SyncUnitLeftOpenException(exchange.getProperty(INBOX_ID));
        }
        if (!exchange.getProperty(INBOX_COMPLETED, false, Boolean.class)) {
            // In a batch, done commits with the rest of the batch (a skipped event's audit entry and key).
            ApplyBatch batch = ApplyBatch.of(exchange);
            if (batch != null) {
                inbox.complete(batch.writes(), exchange.getProperty(INBOX_ID, Long.class));
            } else {
                inbox.finish(exchange.getProperty(INBOX_ID, Long.class), "done", null);
            }
        }
    }
}
