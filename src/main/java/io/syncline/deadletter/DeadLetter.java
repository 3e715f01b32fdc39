package io.syncline.deadletter;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.OffsetDateTime;

/** One row of the dead-letter table, as the admin API shows it. */
@RegisterForReflection
public record DeadLetter(long id, String routeId, String entity, String sourceSystem, String reason, String exceptionType,
                         int attempts, String status, Long inboxId, Long replayedInboxId, OffsetDateTime firstFailedAt,
                         String payload) {
}
