package io.syncline.connector.salesforce;

/** A Salesforce call failed as a whole: no record of it was written. Classified by {@link SalesforceFailures}. */
public final class SalesforceCallException extends Exception {

    private final int status;
    private final String errorCode;

    SalesforceCallException(int status, String errorCode, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The HTTP status, 0 when no answer came. */
    int status() {
        return status;
    }

    /** Salesforce's errorCode ({@code INVALID_FIELD}, {@code REQUEST_LIMIT_EXCEEDED}), or null. */
    String errorCode() {
        return errorCode;
    }
}
