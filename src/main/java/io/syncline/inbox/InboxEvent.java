package io.syncline.inbox;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An accepted webhook event, claimed for processing. {@code attempts} counts this one;
 * {@code origin} is {@code webhook}, or {@code resync} for a push Syncline enqueued itself.
 */
@RegisterForReflection
public record InboxEvent(long id, String routeId, String applyEndpoint, String entity, String sourceSystem,
                         String payload, int attempts, String eventId, String origin) {
}
