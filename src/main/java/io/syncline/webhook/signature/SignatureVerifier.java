package io.syncline.webhook.signature;

import java.time.Instant;
import java.util.Optional;

/**
 * Verifies one webhook signature scheme. Implementations are stateless after construction and
 * safe to share between threads; a system's type builds its own from its settings
 * ({@link io.syncline.webhook.SystemWebhook#signature}).
 */
public interface SignatureVerifier {

    /** For a system that does not sign its webhooks: every request passes. */
    SignatureVerifier ACCEPT_ALL = (request, now) -> {
    };

    /**
     * Returns normally when the request is authentic and fresh.
     *
     * @param now the current time, passed in so that tolerance windows are testable
     * @throws SignatureRejectedException with a reason safe to show to the sender
     */
    void verify(SignedRequest request, Instant now);

    /**
     * The sender's event id for replay dedupe when the scheme carries one in a header; empty
     * when it is not known at this layer (for example Stripe's event id lives in the body).
     */
    default Optional<String> eventId(SignedRequest request) {
        return Optional.empty();
    }
}
