package io.syncline.review;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.OffsetDateTime;

/**
 * One row of the review queue, as the admin API lists it.
 *
 * @param strategy   what sent it here: the conflict strategies, {@code required: hold}, {@code match rule …}
 * @param ageSeconds how long it has been waiting (until now, or until it was closed)
 * @param lastError  why the last resolution attempt failed; the item then stays open
 */
@RegisterForReflection
public record ReviewItem(long id, String kind, String entity, String canonicalId, String sourceSystem, String sourceId,
        String targetSystem, String reason, String strategy, String status, OffsetDateTime createdAt,
        long ageSeconds, String resolvedBy, OffsetDateTime resolvedAt, String lastError,
        OffsetDateTime lastAttemptAt, Long inboxId) {
}
