package io.syncline.webhook.signature;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code hmac-sha256}: the generic scheme for senders that sign the body with a shared secret.
 *
 * <p>Contract the sender must follow:
 * <ul>
 *   <li>The configured header (e.g. {@code X-Signature}) carries the hex HMAC-SHA256, either case,
 *       optionally prefixed {@code sha256=}, keyed with the secret's UTF-8 bytes.</li>
 *   <li>Without {@code toleranceSeconds} the signed payload is the raw body bytes. Such a signature
 *       never expires, so replays must be caught by dedupe further down.</li>
 *   <li>With {@code toleranceSeconds}, header {@value #TIMESTAMP_HEADER} is required and carries
 *       unix seconds (digits only); it must lie within the tolerance of now, in either direction,
 *       and the signed payload is that header value exactly as sent, then {@code "."}, then the
 *       raw body bytes. Signing the timestamp stops an attacker from refreshing an old request.</li>
 * </ul>
 */
final class GenericHmacSignatureVerifier implements SignatureVerifier {

    static final String TIMESTAMP_HEADER = "X-Signature-Timestamp";

    private static final String PREFIX = "sha256=";

    private final HmacSha256 hmac;
    private final String header;
    private final Duration tolerance;

    /** @param tolerance null when the sender does not send a timestamp */
    GenericHmacSignatureVerifier(String secret, String header, Duration tolerance) {
        this.hmac = new HmacSha256(secret);
        this.header = header;
        this.tolerance = tolerance;
    }

    @Override
    public void verify(SignedRequest request, Instant now) {
        String signature = request.header(header)
                .orElseThrow(() -> new SignatureRejectedException("missing " + header + " header"));
        byte[] expected;
        if (tolerance == null) {
            expected = hmac.sign(request.body());
        } else {
            String sent = request.header(TIMESTAMP_HEADER).orElseThrow(
                    () -> new SignatureRejectedException("missing " + TIMESTAMP_HEADER + " header"));
            long timestamp = Timestamps.parse(TIMESTAMP_HEADER, sent, "unix seconds");
            Timestamps.requireWithin(timestamp, now, tolerance, ChronoUnit.SECONDS);
            expected = hmac.sign(HmacSha256.utf8(sent + "."), request.body());
        }
        String hex = signature.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                ? signature.substring(PREFIX.length()) : signature;
        if (!HmacSha256.matches(expected, HmacSha256.hex(hex))) {
            throw new SignatureRejectedException("signature does not match");
        }
    }
}
