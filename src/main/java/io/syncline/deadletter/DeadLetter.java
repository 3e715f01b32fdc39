package io.syncline.deadletter;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.OffsetDateTime;
import java.util.List;

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

    /** The statuses a dead letter can have. */
    public static final List<String> STATUSES = List.of("new", "replayed", "discarded");

    /** The status filter that lists every status: the console offers it and the admin API takes it. */
    public static final String ALL = "all";

    /** The filter a status choice means: null (no filter) for {@value #ALL}. */
    public static String filterOf(String status) {
        return ALL.equals(status) ? null : status;
    }
}
