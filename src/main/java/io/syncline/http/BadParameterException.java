package io.syncline.http;

/** A query parameter of the admin API with a value it does not take: 400 naming the parameter. */
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
