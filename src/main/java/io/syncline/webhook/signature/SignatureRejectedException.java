package io.syncline.webhook.signature;

import io.syncline.webhook.WebhookRejection;

/**
 * The request's signature is missing, malformed, stale or wrong. The reason goes back to the
 * sender, so it names the header and the rule broken but never the secret or the signature we
 * expected: either would let a caller forge the next request.
 */
public class SignatureRejectedException extends WebhookRejection {

    public SignatureRejectedException(String reason) {
        super(401, "invalid_signature", null, reason);
    }
}
