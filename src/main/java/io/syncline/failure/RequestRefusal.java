package io.syncline.failure;

/**
 * A request refused for what it asks, not for a fault of Syncline's: answered with
 * {@link #status()} and a body carrying {@link #code()}, the message and, where one field or
 * parameter is at fault, {@link #field()}. Never retried: the same request is refused again.
 */
public abstract class RequestRefusal extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;

    /** @param field the field, header or parameter at fault, or null */
    protected RequestRefusal(int status, String code, String field, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    protected RequestRefusal(int status, String code, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
        this.field = null;
    }

    /** HTTP status answered. */
    public final int status() {
        return status;
    }

    /** Stable machine-readable reason, e.g. {@code malformed_json} or {@code confirmation_required}. */
    public final String code() {
        return code;
    }

    /** The field, header or parameter at fault ({@code id}, {@code X-Event-Id}), or null. */
    public final String field() {
        return field;
    }
}
