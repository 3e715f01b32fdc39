package io.syncline.connector.salesforce;

/** Salesforce's token endpoint refused the system's credentials, or could not be reached. */
public class SalesforceLoginException extends RuntimeException {

    public SalesforceLoginException(String message, Throwable cause) {
        super(message, cause);
    }
}
