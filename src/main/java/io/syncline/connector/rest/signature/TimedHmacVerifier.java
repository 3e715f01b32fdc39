package io.syncline.connector.rest.signature;

import io.syncline.webhook.signature.SignatureVerifier;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A provider's scheme that signs with HMAC-SHA256 keyed with the shared secret and sends the time
 * it signed, which must lie within the tolerance of ours ({@link Timestamps#requireWithin}).
 */
abstract class TimedHmacVerifier implements SignatureVerifier {

    protected final Hmac hmac;
    private final Duration tolerance;
    private final ChronoUnit unit;

    /** @param unit what the sender's timestamps count: {@link ChronoUnit#SECONDS} or {@link ChronoUnit#MILLIS} */
    protected TimedHmacVerifier(String secret, Duration tolerance, ChronoUnit unit) {
        this.hmac = Hmac.sha256(secret);
        this.tolerance = tolerance;
        this.unit = unit;
    }

    /** The timestamp as sent in {@code header}: digits ({@code format} says which, for the reason) within the tolerance. */
    protected void requireFresh(String header, String sent, String format, Instant now) {
        Timestamps.requireWithin(Timestamps.parse(header, sent, format), now, tolerance, unit);
    }
}
