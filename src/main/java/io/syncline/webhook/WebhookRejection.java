package io.syncline.webhook;

/**
 * A webhook request refused because of what the sender sent. Answered with {@link #status()}
 * and a JSON body carrying {@link #code()} and the message; never retried, never stored.
 */
public abstract class WebhookRejection extends RuntimeException {

    private final int status;
    private final String code;
    private final String field;

    /** @param field the field or header at fault, or null */
    protected WebhookRejection(int status, String code, String field, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    protected WebhookRejection(int status, String code, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
        this.field = null;
    }

    /** HTTP status answered to the sender. */
    public final int status() {
        return status;
    }

    /** Stable machine-readable reason, e.g. {@code malformed_json}. */
    public final String code() {
        return code;
    }

    /** The field or header at fault ({@code id}, {@code address.city}, {@code X-Event-Id}), or null. */
    public final String field() {
        return field;
    }
}
