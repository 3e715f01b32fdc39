package io.syncline.connector.spi;

/**
 * What a provider's batch call answered for one of its records: written as {@code id} (created or
 * updated), or refused with the provider's words and an HTTP-like status; a refusal a later try
 * may mend (a lock, a rate limit, the provider's own failure) is {@code transientFailure}.
 */
public record RecordOutcome(String id, boolean created, String error, int status, boolean transientFailure) {

    public static RecordOutcome written(String id, boolean created) {
        return new RecordOutcome(id, created, null, 0, false);
    }

    /** A refusal no retry mends: the event becomes a dead letter at once with {@code error}. */
    public static RecordOutcome refused(String error, int status) {
        return new RecordOutcome(null, false, error, status, false);
    }

    /** A refusal worth sending again: the event is applied alone, and retried as any write. */
    public static RecordOutcome retry(String error, int status) {
        return new RecordOutcome(null, false, error, status, true);
    }

    public boolean success() {
        return error == null && id != null;
    }

    /** The audit's words for it: {@code created 42}, {@code updated}, or the provider's error. */
    public String describe() {
        return success() ? created ? "created " + id : "updated" : String.valueOf(error);
    }
}
