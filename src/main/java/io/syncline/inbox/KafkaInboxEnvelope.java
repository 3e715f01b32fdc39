package io.syncline.inbox;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One accepted event as it travels through the inbox topic ({@code syncline.inbox.mode=kafka}):
 * what an inbox row holds when the webhook stores it, the original payload as text.
 */
@RegisterForReflection
public record KafkaInboxEnvelope(String routeId, String applyEndpoint, String entity, String system, String recordKey,
        String eventId, String payload, String origin) {

    /**
     * Prefix of an event id Syncline made for an event the sender gave none (or for a replay): it
     * lets the inbox row recognise a redelivery from the topic, but it is no sender's id, so the
     * idempotent consumer keys such an event by its record and version as it would without one.
     */
    private static final String DELIVERY_ID = "syncline-delivery:";

    /** A new delivery id, {@code name} in it when given (a replay's), otherwise a random one. */
    public static String deliveryId(String name) {
        return DELIVERY_ID + (name != null ? name : java.util.UUID.randomUUID().toString());
    }

    /** The sender's event id, or null when {@code eventId} is a {@linkplain #deliveryId delivery id} Syncline made. */
    public static String senderEventId(String eventId) {
        return eventId != null && eventId.startsWith(DELIVERY_ID) ? null : eventId;
    }

    /**
     * The record's key in the topic: entity, source system and the source's record id, so that
     * each record's events land in one partition, in the order they were accepted. An event
     * without a record id is keyed by its event id (it has no order to keep).
     */
    public String partitionKey() {
        return entity + "/" + system + "/" + (recordKey != null ? recordKey : "event:" + eventId);
    }
}
