package io.syncline.connector.rest.signature;

import io.syncline.webhook.signature.SignatureRejectedException;
import io.syncline.webhook.signature.SignedRequest;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code stripe}: Stripe's documented manual verification.
 *
 * <ul>
 *   <li>Header {@value #HEADER}: comma-separated {@code key=value} pairs, e.g.
 *       {@code t=1492774577,v1=5257a8…,v0=6ffbb5…}. {@code t} is unix seconds; the first one counts.</li>
 *   <li>Only {@code v1} is checked; {@code v0} (Stripe's fake test-mode signature) and any other
 *       scheme are ignored so that a weaker scheme can never stand in (downgrade attack).</li>
 *   <li>Several {@code v1} values appear while a rolled secret is still active; any match passes.</li>
 *   <li>Signed payload: {@code t} exactly as sent, {@code "."}, then the raw body bytes; the key is
 *       the endpoint secret's UTF-8 bytes, {@code whsec_} prefix included.</li>
 *   <li>{@code t} must lie within the tolerance (Stripe's libraries default to 300 s). Stripe's
 *       libraries only reject old timestamps; we also reject ones that far in the future.</li>
 * </ul>
 * The event id is inside the JSON body, so {@link #eventId} stays empty at this layer.
 */
final class StripeSignatureVerifier extends TimedHmacVerifier {

    static final String HEADER = "Stripe-Signature";
    static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(300);

    StripeSignatureVerifier(String secret, Duration tolerance) {
        super(secret, tolerance, ChronoUnit.SECONDS);
    }

    @Override
    public void verify(SignedRequest request, Instant now) {
        String value = Headers.required(request, HEADER);
        String sentTimestamp = null;
        List<String> v1 = new ArrayList<>();
        for (String element : value.split(",")) {
            String[] pair = element.strip().split("=", 2);
            if (pair.length < 2) {
                continue;
            }
            if (pair[0].equals("t") && sentTimestamp == null) {
                sentTimestamp = pair[1];
            } else if (pair[0].equals("v1")) {
                v1.add(pair[1]);
            }
        }
        if (sentTimestamp == null || v1.isEmpty()) {
            throw new SignatureRejectedException("malformed " + HEADER + " header: expected t=<unix seconds>,v1=<hex>");
        }
        requireFresh(HEADER, sentTimestamp, "t=<unix seconds>", now);

        byte[] expected = hmac.sign(Hmac.utf8(sentTimestamp + "."), request.body());
        for (String candidate : v1) {
            if (Hmac.matches(expected, Hmac.hex(candidate))) {
                return;
            }
        }
        throw new SignatureRejectedException("signature does not match");
    }
}
