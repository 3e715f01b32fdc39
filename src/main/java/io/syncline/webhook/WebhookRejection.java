package io.syncline.webhook;

import io.syncline.failure.RequestRefusal;

/**
 * A webhook request refused because of what the sender sent. Answered with {@link #status()}
 * and a JSON body carrying {@link #code()} and the message; never retried, never stored.
 */
public abstract class WebhookRejection extends RequestRefusal {

    /** @param field the field or header at fault, or null */
    protected WebhookRejection(int status, String code, String field, String message) {
        super(status, code, field, message);
    }

    protected WebhookRejection(int status, String code, String message, Throwable cause) {
        super(status, code, message, cause);
    }
}
