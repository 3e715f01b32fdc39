package io.syncline.deadletter;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.OffsetDateTime;

/**
 * One row of the dead-letter table, as the admin API shows it.
 *
 * @param handledBy     the user who replayed or discarded it; null while it is new
 * @param discardReason why it was discarded, as that user gave it
 */
@RegisterForReflection
public record DeadLetter(long id, String routeId, String entity, String sourceSystem, String reason, String exceptionType,
                         int attempts, String status, Long inboxId, Long replayedInboxId, OffsetDateTime firstFailedAt,
                         String payload, String handledBy, OffsetDateTime handledAt, String discardReason) {
}
