package io.syncline.connector.rest.signature;

import io.syncline.webhook.signature.SignatureRejectedException;
import io.syncline.webhook.signature.SignatureVerifier;
import io.syncline.webhook.signature.SignedRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;

/**
 * {@code basic}: the sender signs nothing, but sends HTTP Basic credentials with every delivery
 * (Pipedrive's webhooks, {@code http_auth_user} and {@code http_auth_password}). The secret is
 * {@code user:password}; the request's {@code Authorization} header must carry exactly those,
 * compared in constant time. Nothing ties the credentials to the body, so replays are caught only
 * by the event id the inbox refuses to store twice.
 */
final class BasicAuthVerifier implements SignatureVerifier {

    static final String HEADER = "Authorization";

    private final byte[] expected;

    BasicAuthVerifier(String credentials) {
        if (credentials.indexOf(':') < 1) {
            throw new IllegalArgumentException("webhook signature basic: the secret is the credentials as user:password");
        }
        this.expected = ("Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void verify(SignedRequest request, Instant now) {
        String given = request.header(HEADER)
                .orElseThrow(() -> new SignatureRejectedException("missing " + HEADER + " header with Basic credentials"));
        if (!MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            throw new SignatureRejectedException("credentials do not match");
        }
    }
}
