package io.syncline.privacy.request;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A privacy request as the admin API shows it: an erasure ({@code planned}, then {@code erasing}
 * once confirmed, {@code completed} when every system's part is done, {@code failed} when a
 * system refused its part, or {@code cancelled}) or a subject access ({@code ready}). It holds
 * no personal value: the person is known by digests of their identifiers. {@code children} counts
 * per entity the records naming the person that the erasure erased and those it detached.
 */
@io.quarkus.runtime.annotations.RegisterForReflection
public record PrivacyRequest(long id, String kind, String entity, String status, int digests, String requestedBy,
        Instant requestedAt, String confirmedBy, Instant confirmedAt, Instant completedAt,
        Map<String, Object> scrubbed, Map<String, Map<String, Integer>> children, List<Part> parts) {

    public static final String ERASURE = "erasure";
    public static final String ACCESS = "access";

    /**
     * One system's record of the person, or of a child of theirs the model erases with them
     * ({@code entity}, that of the request for the person's own): erased by {@code mode} (or read,
     * for an access request). {@code systemId} is kept until the erasure completes; its digest stays.
     */
    public record Part(String entity, String system, String systemId, String idDigest, String mode, String status, int attempts,
            Instant nextAttemptAt, String lastError, Instant doneAt) {
    }
}
