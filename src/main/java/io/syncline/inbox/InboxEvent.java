package io.syncline.inbox;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An accepted webhook event, claimed for processing. {@code attempts} counts this one;
 * {@code origin} is {@code webhook}, or {@code resync} for a push Syncline enqueued itself;
 * {@code recordKey} is the source record's id as read from the payload when it was accepted
 * (null if it had none), which lets a batch of events read ahead for their records.
 */
@RegisterForReflection
public record InboxEvent(long id, String routeId, String applyEndpoint, String entity, String sourceSystem,
        String payload, int attempts, String eventId, String origin,
        String recordKey) {
}
