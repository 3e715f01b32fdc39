package io.syncline.inbox;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import io.syncline.webhook.JsonPayloadParser;

import java.util.Map;

/**
 * Turns a claimed {@link InboxEvent} into the exchange its apply route expects: the payload as
 * a JSON object, and the event's inbox id, attempt, source route, sender's event id and original
 * payload as properties for idempotency, completion, retries and dead letters.
 */
@ApplicationScoped
@Named("inboxEvent")
public class InboxEventProcessor implements Processor {

    /** Exchange property: the route that applies the event ({@code direct:…}). */
    public static final String APPLY_ENDPOINT = "SynclineApplyEndpoint";

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private final ObjectMapper mapper;

    public InboxEventProcessor(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        InboxEvent event = exchange.getMessage().getMandatoryBody(InboxEvent.class);
        exchange.setProperty(InboxRepository.INBOX_ID, event.id());
        exchange.setProperty(InboxRepository.ATTEMPTS, event.attempts());
        exchange.setProperty(InboxRepository.SOURCE_ROUTE, event.routeId());
        exchange.setProperty(InboxRepository.ENTITY, event.entity());
        exchange.setProperty(InboxRepository.SOURCE_SYSTEM, event.sourceSystem());
        // The idempotent consumer keys the event by the sender's id where it gave one.
        exchange.setProperty(InboxRepository.EVENT_ID, event.eventId());
        exchange.setProperty(JsonPayloadParser.ORIGINAL_PAYLOAD, event.payload());
        exchange.setProperty(APPLY_ENDPOINT, event.applyEndpoint());
        exchange.setProperty(InboxRepository.ORIGIN, event.origin());
        // Accepted payloads were checked to be JSON objects before they were stored.
        exchange.getMessage().setBody(mapper.readValue(event.payload(), OBJECT));
    }
}
