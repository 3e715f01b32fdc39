package io.syncline.audit;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;

/** One entry of the audit log as stored: {@code diff} is its JSON text ({@code field -> {from, to}}), as written. */
@RegisterForReflection
public record AuditRecord(long id, Instant occurredAt, String action, String entity, String canonicalId, String sourceSystem,
        String sourceId, String targetSystem, String targetId, String runId, Long inboxId, String eventKey,
        String versionHash, String diff, String detail, String actor) {
}
