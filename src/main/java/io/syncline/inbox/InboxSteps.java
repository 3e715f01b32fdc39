package io.syncline.inbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.config.SynclineConfig;
import io.syncline.exchange.ExchangeContract;
import io.syncline.mapping.FieldContract;
import io.syncline.mapping.FieldPaths;
import io.syncline.sensitive.SensitiveValues;
import io.syncline.store.PlanRefresh;
import io.syncline.sync.ApplyBatch;
import io.syncline.sync.ApplyEvents;
import io.syncline.sync.SyncUnit;
import io.syncline.webhook.IntakeIds;
import io.syncline.webhook.RequestsInProgress;
import io.syncline.webhook.SystemWebhook;
import io.syncline.webhook.SystemWebhooks;
import io.syncline.webhook.WebhookEventSplitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static io.syncline.exchange.ExchangeContract.EVENT_ID;
import static io.syncline.exchange.ExchangeContract.EVENT_ID_HEADER;
import static io.syncline.exchange.ExchangeContract.INBOX_COMPLETED;
import static io.syncline.exchange.ExchangeContract.INBOX_DRAINED;
import static io.syncline.exchange.ExchangeContract.INBOX_ID;

/**
 * The inbox's route steps, which take the exchange: {@link #accept} commits an event before the
 * webhook answers 202; {@link #claim} hands due events to a worker under a lease, so that a worker
 * that dies mid-event leaves it to be claimed again once the lease runs out; {@link #handBack} and
 * {@link #complete} end a claim. Where the events wait is the {@link Inbox} adapter's, chosen by
 * {@code syncline.inbox.mode}.
 */
@ApplicationScoped
@Named("InboxSteps")
@RegisterForReflection
public class InboxSteps {

    /** Accepted for later processing (RFC 9110 §15.3.3): stored, applied by the workers. */
    private static final int DEFAULT_ANSWER_STATUS = 202;

    /** The source systems' webhook settings, as their types read them. */
    @Inject
    SystemWebhooks webhooks;

    @Inject
    Inbox inbox;
    @Inject
    ObjectMapper mapper;
    @Inject
    SyncModelRegistry registry;
    @Inject
    SynclineConfig config;
    @Inject
    IntakePriority intake;
    @Inject
    RequestsInProgress requests;
    @Inject
    PlanRefresh plans;
    @Inject
    SensitiveValues sensitive;

    /**
     * Stores the exchange's original payload for {@code applyEndpoint} and answers with the inbox
     * id (the webhook template's {@link InboxIntake} stage), once the event is durable: the future
     * is complete on return where the adapter stores on this thread (the PostgreSQL inbox), and
     * completes later, on another thread, where the brokers acknowledge it (the inbox in Kafka).
     * An event id the source already delivered is not stored again: the answer is
     * {@code duplicate} with the first delivery's inbox id. A source system whose
     * {@code webhook.events} says where its events are has each event stored as its own entry
     * ({@link WebhookEventSplitter}), and the answer lists them. Either way the answer's HTTP status
     * and body are the system's {@code webhook.answer} (properties {@value ExchangeContract#ANSWER_STATUS},
     * {@value ExchangeContract#ANSWER_EMPTY}).
     */
    public CompletionStage<Map<String, Object>> accept(String entity, String system, String applyEndpoint, Exchange exchange)
            throws SQLException {
        intake.accepted(requests.count());
        SystemWebhook webhook = webhooks.webhook(system).orElse(null);
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
            return acceptEvents(entity, system, applyEndpoint, exchange, WebhookEventSplitter.split(webhook.events(), body,
                    contract.keySteps(), contract.keyPath(), eventId));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> record = body instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
        String recordKey = IntakeIds.recordKey(record == null ? null : FieldPaths.get(record, contract.keySteps()),
                contract.keyPath());
        // a sensitive field's value is stored encrypted; the apply path reads it in clear (CanonicalTransformer)
        String payload = sensitive.encryptPayload(entity, system, exchange.getProperty(ExchangeContract.ORIGINAL_PAYLOAD, String.class));
        exchange.setProperty(ExchangeContract.ORIGINAL_PAYLOAD, payload);
        return inbox.acceptLater(exchange.getFromRouteId(), applyEndpoint, entity, system, new Inbox.Intake(recordKey, eventId,
                payload)).thenApply(Inbox.Accepted::answer);
    }

    /**
     * A request of several events (or one wrapped in an envelope): each becomes its own inbox entry,
     * the record alone as its payload, all in one transaction before the answer.
     */
    private CompletionStage<Map<String, Object>> acceptEvents(String entity, String system, String applyEndpoint,
            Exchange exchange, WebhookEventSplitter.Split split) throws SQLException {
        List<Inbox.Intake> intakes = new ArrayList<>(split.events().size());
        for (WebhookEventSplitter.IntakeEvent event : split.events()) {
            intakes.add(new Inbox.Intake(event.recordKey(), event.eventId(),
                    json(sensitive.encryptFields(entity, system, event.record()))));
        }
        CompletionStage<List<Inbox.Accepted>> stored = intakes.isEmpty() ? CompletableFuture.completedFuture(List.of())
                : inbox.acceptAllLater(exchange.getFromRouteId(), applyEndpoint, entity, system, intakes);
        return stored.thenApply(accepted -> answer(accepted, split.skipped()));
    }

    private static Map<String, Object> answer(List<Inbox.Accepted> stored, int skipped) {
        List<Map<String, Object>> events = new ArrayList<>(stored.size());
        int duplicates = 0;
        for (Inbox.Accepted accepted : stored) {
            duplicates += accepted.stored() ? 0 : 1;
            events.add(accepted.answer());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "accepted");
        answer.put("accepted", stored.size() - duplicates);
        answer.put("duplicates", duplicates);
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

    private static void answerAs(SystemWebhook.Answer answer, Exchange exchange) {
        exchange.setProperty(ExchangeContract.ANSWER_STATUS,
                answer == null || answer.status() == null ? DEFAULT_ANSWER_STATUS : answer.status());
        exchange.setProperty(ExchangeContract.ANSWER_EMPTY, answer != null && answer.empty());
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
        int limit = Math.min(room, config.inbox().batchSize());
        List<InboxEvent> events = inbox.claim(limit);
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
     * after the lease ({@link Inbox#handBack(List)}).
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
     * ({@link Inbox#complete(io.syncline.store.Writes, long)}, property {@value ExchangeContract#INBOX_COMPLETED}).
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
                inbox.complete(exchange.getProperty(INBOX_ID, Long.class));
            }
        }
    }
}
