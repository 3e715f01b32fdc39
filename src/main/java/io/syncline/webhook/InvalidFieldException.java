package io.syncline.webhook;

/**
 * A value of the request that Syncline cannot take as it is: too long for its column, of the
 * wrong type, text PostgreSQL cannot store, beyond a limit. Answered 400 with the field named.
 */
public class InvalidFieldException extends WebhookRejection {

    public InvalidFieldException(String code, String field, String message) {
        super(400, code, field, message);
    }
}
