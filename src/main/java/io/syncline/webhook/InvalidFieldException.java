package io.syncline.webhook;

/**
 * A value of the request that Syncline cannot take as it is: too long for its column, of the
 * wrong type, text PostgreSQL cannot store, beyond a limit. Answered 400 with the field named.
 */
public class InvalidFieldException extends WebhookRejection {

    private final String code;
    private final String field;

    public InvalidFieldException(String code, String field, String message) {
        super(message);
        this.code = code;
        this.field = field;
    }

    @Override
    public int status() {
        return 400;
    }

    @Override
    public String code() {
        return code;
    }

    @Override
    public String field() {
        return field;
    }
}
