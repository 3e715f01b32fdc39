package io.syncline.failure;

/**
 * A parameter with a value it does not take (a query parameter of the admin API, a filter of the
 * audit trail): 400 {@code bad_request} naming the parameter.
 */
public class BadParameterException extends IllegalArgumentException {

    private final String parameter;

    public BadParameterException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
