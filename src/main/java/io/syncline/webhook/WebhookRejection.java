package io.syncline.webhook;

/**
 * A webhook request refused because of what the sender sent. Answered with {@link #status()}
 * and a JSON body carrying {@link #code()} and the message; never retried, never stored.
 */
public abstract class WebhookRejection extends RuntimeException {

    protected WebhookRejection(String message) {
        super(message);
    }

    protected WebhookRejection(String message, Throwable cause) {
        super(message, cause);
    }

    /** HTTP status answered to the sender. */
    public abstract int status();

    /** Stable machine-readable reason, e.g. {@code malformed_json}. */
    public abstract String code();

    /** The field or header at fault ({@code id}, {@code address.city}, {@code X-Event-Id}), or null. */
    public String field() {
        return null;
    }
}
