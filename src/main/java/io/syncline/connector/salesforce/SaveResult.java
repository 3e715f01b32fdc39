package io.syncline.connector.salesforce;

/**
 * What Salesforce answered for one record of a write: its id and whether it was created, or its
 * first error ({@code errorCode}, e.g. {@code REQUIRED_FIELD_MISSING}, and message).
 */
public record SaveResult(boolean success, String id, boolean created, String errorCode, String message) {

    /**
     * Syncline's own code, not Salesforce's, for a record a Bulk API 2.0 ingest job left
     * unprocessed (the job failed or was aborted, or gave no result for it): written again later.
     */
    public static final String NOT_PROCESSED = "NOT_PROCESSED";

    public static SaveResult saved(String id, boolean created) {
        return new SaveResult(true, id, created, null, null);
    }

    public static SaveResult failed(String errorCode, String message) {
        return new SaveResult(false, null, false, errorCode, message);
    }

    /**
     * Whether the same write may succeed later: the record was locked by another transaction, or
     * the org was short of capacity, or an ingest job never processed it. Every other error is the data's or the model's.
     */
    public boolean transientFailure() {
        return !success && errorCode != null && switch (errorCode) {
            case "UNABLE_TO_LOCK_ROW", "REQUEST_LIMIT_EXCEEDED", "SERVER_UNAVAILABLE", "API_CURRENTLY_DISABLED", NOT_PROCESSED -> true;
            default -> false;
        };
    }

    /** The audit's words for it: {@code created 003…}, or {@code REQUIRED_FIELD_MISSING: …}. */
    public String describe() {
        return success ? (created ? "created " : "updated ") + id : errorCode + ": " + message;
    }
}
