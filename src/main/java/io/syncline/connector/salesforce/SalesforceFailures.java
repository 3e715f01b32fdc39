package io.syncline.connector.salesforce;

import io.syncline.failure.TargetRejectedException;
import io.syncline.failure.TargetUnavailableException;

/**
 * What the inbox is to do with a failed Salesforce write: retry it with backoff
 * ({@link TargetUnavailableException}: no answer, a 5xx such as 503, the org's
 * {@code REQUEST_LIMIT_EXCEEDED}, a record locked by another transaction), or make it a dead
 * letter at once with Salesforce's errorCode and message ({@link TargetRejectedException}: the
 * data or the model is wrong, e.g. {@code REQUIRED_FIELD_MISSING}, {@code INVALID_FIELD},
 * {@code DUPLICATE_VALUE}, an external id several records hold).
 */
final class SalesforceFailures {

    private SalesforceFailures() {
    }

    /**
     * Whether Salesforce refused a write because no record holds the external id by which it names
     * a parent: {@code INVALID_FIELD}, {@code Foreign key external ID: acme-42 not found for field
     * Ext_Id__c in entity Account}.
     */
    static boolean parentNotFound(String errorCode, String message) {
        return "INVALID_FIELD".equals(errorCode) && message != null && message.contains("Foreign key external ID:");
    }

    /** A call that failed as a whole. */
    static RuntimeException of(String system, SalesforceCallException failure) {
        int status = failure.status();
        if (status == 0 || status >= 500 || status == 408 || status == 429
                || "REQUEST_LIMIT_EXCEEDED".equals(failure.errorCode()) || "UNABLE_TO_LOCK_ROW".equals(failure.errorCode())) {
            return new TargetUnavailableException(system, status == 0 ? null : status, null,
                    "Salesforce " + system + " could not take the write now: " + failure.getMessage(), failure);
        }
        return new TargetRejectedException(system, status, failure.errorCode() + ": " + failure.getMessage(),
                "Salesforce " + system + " refused the write (HTTP " + status + "): " + failure.getMessage());
    }

    /** One record's result of a collection call that failed. */
    static RuntimeException of(String system, String call, SaveResult result) {
        String message = call + ": " + result.describe();
        if (result.transientFailure()) {
            return new TargetUnavailableException(system, null, null, "Salesforce " + system + " could not take the record now: "
                    + message, null);
        }
        return new TargetRejectedException(system, 400, result.describe(), "Salesforce " + system + " refused the record: " + message);
    }
}
