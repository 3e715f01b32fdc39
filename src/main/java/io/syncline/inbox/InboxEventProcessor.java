package io.syncline.inbox;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.exchange.ExchangeContract;
import io.syncline.sync.ApplyBatch;
import io.syncline.sync.ApplyEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultExchange;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a claimed {@link InboxEvent} into the exchange its apply route expects: the payload as
 * a JSON object, and the event's inbox id, attempt, source route, sender's event id and original
 * payload as properties for idempotency, completion, retries and dead letters. A batch's events
 * each get such an exchange, carried by the batch's ({@link ApplyEvents}).
 */
@ApplicationScoped
@Named("InboxEventProcessor")
public class InboxEventProcessor implements Processor {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    @Inject
    ObjectMapper mapper;

    @Override
    public void process(Exchange exchange) throws Exception {
        if (exchange.getMessage().getBody() instanceof List<?> batch) {
            prepareBatch(exchange, batch);
        } else {
            prepare(exchange, exchange.getMessage().getMandatoryBody(InboxEvent.class));
        }
    }

    /**
     * A batch's events (a worker's chunk, all of one apply route: {@link InboxBatches#chunks}), each
     * on an exchange of its own as if applied alone, for the stages to loop over ({@link ApplyEvents}).
     */
    private void prepareBatch(Exchange exchange, List<?> batch) throws Exception {
        ApplyBatch applyBatch = ApplyBatch.of(exchange);
        List<Exchange> events = new ArrayList<>(batch.size());
        for (Object claimed : batch) {
            Exchange event = new DefaultExchange(exchange.getContext());
            event.setProperty(ExchangeContract.APPLY_BATCH, applyBatch);
            prepare(event, (InboxEvent) claimed);
            events.add(event);
        }
        exchange.setProperty(ExchangeContract.APPLY_ENDPOINT, ((InboxEvent) batch.get(0)).applyEndpoint());
        exchange.setProperty(ExchangeContract.APPLY_EVENTS, events);
    }

    private void prepare(Exchange exchange, InboxEvent event) throws Exception {
        exchange.setProperty(ExchangeContract.INBOX_ID, event.id());
        exchange.setProperty(ExchangeContract.INBOX_ATTEMPTS, event.attempts());
        exchange.setProperty(ExchangeContract.SOURCE_ROUTE, event.routeId());
        exchange.setProperty(ExchangeContract.ENTITY, event.entity());
        exchange.setProperty(ExchangeContract.SOURCE_SYSTEM, event.sourceSystem());
        // The idempotent consumer keys the event by the sender's id where it gave one (not by an id
        // the Kafka inbox made to recognise its own redeliveries).
        exchange.setProperty(ExchangeContract.EVENT_ID, KafkaInboxEnvelope.senderEventId(event.eventId()));
        exchange.setProperty(ExchangeContract.ORIGINAL_PAYLOAD, event.payload());
        exchange.setProperty(ExchangeContract.RECORD_KEY, event.recordKey());
        exchange.setProperty(ExchangeContract.APPLY_ENDPOINT, event.applyEndpoint());
        exchange.setProperty(ExchangeContract.ORIGIN, event.origin());
        if (ExchangeContract.ORIGIN_BACKFILL.equals(event.origin())) {
            // the audit names the backfill's job (backfill:<id>) instead of each event
            exchange.setProperty(ExchangeContract.RUN_ID, event.routeId());
        }
        // Accepted payloads were checked to be JSON objects before they were stored.
        exchange.getMessage().setBody(mapper.readValue(event.payload(), OBJECT));
    }
}
