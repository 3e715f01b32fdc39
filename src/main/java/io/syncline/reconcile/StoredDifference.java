package io.syncline.reconcile;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.OffsetDateTime;

/**
 * A difference as persisted and listed: values as JSON text, first seen, what was done and where it
 * went, and for an expected one (action {@code expected}) why it is expected.
 */
@RegisterForReflection
public record StoredDifference(long id, long runId, String job, String entity, String key, String bucket,
        String fields, String valuesA, String valuesB, OffsetDateTime recordAt,
        OffsetDateTime firstSeenAt, String action, Long inboxId, Long reviewItemId,
        String expectedBecause) {

    public StoredDifference(long id, long runId, String job, String entity, String key, String bucket, String fields,
            String valuesA, String valuesB, OffsetDateTime recordAt, OffsetDateTime firstSeenAt,
            String action, Long inboxId, Long reviewItemId) {
        this(id, runId, job, entity, key, bucket, fields, valuesA, valuesB, recordAt, firstSeenAt, action, inboxId,
                reviewItemId, null);
    }
}
