package io.syncline.connector.rest.signature;

import io.syncline.webhook.signature.SignatureRejectedException;
import io.syncline.webhook.signature.SignatureVerifier;
import io.syncline.webhook.signature.SignedRequest;

import java.time.Instant;
import java.util.Optional;

/**
 * {@code github}: GitHub's {@value #SIGNATURE_HEADER} header, {@code sha256=} followed by the hex
 * HMAC-SHA256 of the raw body, keyed with the webhook secret's UTF-8 bytes.
 *
 * <p>GitHub signs no timestamp, so a captured delivery verifies forever. Replay protection must
 * come from deduplicating on the {@value #DELIVERY_HEADER} id, which {@link #eventId} returns.
 * GitHub keeps that id when an event is redelivered, so dedupe also drops a redelivery of an
 * event already stored (and must only record the id once the event is stored).
 */
final class GitHubSignatureVerifier implements SignatureVerifier {

    static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    static final String DELIVERY_HEADER = "X-GitHub-Delivery";

    private static final String PREFIX = "sha256=";

    private final Hmac hmac;

    GitHubSignatureVerifier(String secret) {
        this.hmac = Hmac.sha256(secret);
    }

    @Override
    public void verify(SignedRequest request, Instant now) {
        String signature = Headers.required(request, SIGNATURE_HEADER);
        if (!signature.startsWith(PREFIX)) {
            throw new SignatureRejectedException("malformed " + SIGNATURE_HEADER + " header: expected sha256=<hex>");
        }
        byte[] given = Hmac.hex(signature.substring(PREFIX.length()));
        Hmac.requireMatch(hmac.sign(request.body()), given);
    }

    @Override
    public Optional<String> eventId(SignedRequest request) {
        return request.header(DELIVERY_HEADER);
    }
}
