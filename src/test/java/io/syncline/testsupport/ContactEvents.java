package io.syncline.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A stream of CRM contact events for the Quickstart's demo webhook: several versions of each
 * record, each version a distinct event ({@code X-Event-Id}) with a later {@code updatedAt} and
 * its own first name and city, interleaved at random across records but in version order per
 * record. Records are told apart by id and e-mail only (no phone or company), so that the
 * model's match rules never take one record for another.
 */
public final class ContactEvents {

    /** One event: which record, which version, and the values the target should show if it is the newest. */
    public record ContactEvent(String eventId, String recordId, int version, String firstName, String city,
            Instant updatedAt, WebhookSender.Event event) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant EPOCH = Instant.parse("2024-06-01T08:00:00Z");

    private final List<ContactEvent> events;

    private ContactEvents(List<ContactEvent> events) {
        this.events = events;
    }

    /** {@code records} records of {@code versions} events each, ids starting with {@code prefix}. */
    public static ContactEvents generate(Random random, String prefix, int records, int versions) {
        List<Integer> order = new ArrayList<>();
        for (int r = 0; r < records; r++) {
            for (int v = 0; v < versions; v++) {
                order.add(r);
            }
        }
        java.util.Collections.shuffle(order, random);
        int[] next = new int[records];
        List<ContactEvent> events = new ArrayList<>();
        for (int r : order) {
            int version = ++next[r];
            String recordId = String.format("%s-%03d", prefix, r);
            String firstName = "Version" + version;
            String city = "City " + recordId + " v" + version;
            Instant updatedAt = EPOCH.plusSeconds(60L * version + r);
            String eventId = recordId + "-v" + version;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", recordId);
            body.put("email", recordId + "@example.com");
            body.put("firstName", firstName);
            body.put("lastName", "Stream");
            body.put("address", Map.of("city", city));
            body.put("lifecycleStage", "customer");
            body.put("updatedAt", updatedAt.toString());
            events.add(new ContactEvent(eventId, recordId, version, firstName, city, updatedAt,
                    new WebhookSender.Event(eventId, json(body))));
        }
        return new ContactEvents(events);
    }

    /**
     * An event the model must reject whatever happens (a phone number that is no phone number):
     * it belongs in the dead-letter table, never in the target.
     */
    public static WebhookSender.Event badPhone(String recordId) {
        return new WebhookSender.Event(recordId + "-bad-phone", json(Map.of("id", recordId, "email", recordId + "@example.com",
                "lastName", "Invalid", "phone", "12ab", "updatedAt", EPOCH.toString())));
    }

    public List<ContactEvent> all() {
        return events;
    }

    /** The deliveries, in stream order. */
    public List<WebhookSender.Event> deliveries() {
        return events.stream().map(ContactEvent::event).toList();
    }

    public int size() {
        return events.size();
    }

    /** The newest event of each record: what the target must hold once everything is applied. */
    public Collection<ContactEvent> newest() {
        Map<String, ContactEvent> newest = new LinkedHashMap<>();
        for (ContactEvent event : events) {
            newest.merge(event.recordId(), event, (a, b) -> a.updatedAt().isAfter(b.updatedAt()) ? a : b);
        }
        return newest.values();
    }

    private static String json(Map<String, Object> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
