package io.syncline.connector.rest.signature;

import io.syncline.webhook.signature.SignedRequest;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/**
 * {@code hubspot-v3}: HubSpot's v3 request signature.
 *
 * <ul>
 *   <li>{@value #SIGNATURE_HEADER}: base64 of HMAC-SHA256 keyed with the app's client secret
 *       (UTF-8) over {@code method + uri + body + timestamp}, concatenated without separators;
 *       the body is the raw UTF-8 bytes as sent, the timestamp the header value as sent.</li>
 *   <li>{@value #TIMESTAMP_HEADER}: unix milliseconds. HubSpot says to reject requests older than
 *       5 minutes (its SDKs: {@code now - timestamp > 300000}); we also reject ones that far ahead.</li>
 *   <li>The uri is the full URL HubSpot called, scheme and query included, after decoding the
 *       twelve escapes in HubSpot's table ({@code %3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C
 *       %3B}); every other escape, {@code %20} for one, stays as sent. Hex digits are matched in
 *       either case, as RFC 3986 makes them equivalent.</li>
 * </ul>
 * HubSpot documents {@code eventId} as not guaranteed unique, so {@link #eventId} stays empty.
 */
final class HubSpotV3SignatureVerifier extends TimedHmacVerifier {

    static final String SIGNATURE_HEADER = "X-HubSpot-Signature-v3";
    static final String TIMESTAMP_HEADER = "X-HubSpot-Request-Timestamp";
    static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final Map<String, Character> DECODED = Map.ofEntries(
            Map.entry("3A", ':'), Map.entry("2F", '/'), Map.entry("3F", '?'), Map.entry("40", '@'),
            Map.entry("21", '!'), Map.entry("24", '$'), Map.entry("27", '\''), Map.entry("28", '('),
            Map.entry("29", ')'), Map.entry("2A", '*'), Map.entry("2C", ','), Map.entry("3B", ';'));

    HubSpotV3SignatureVerifier(String secret, Duration tolerance) {
        super(secret, tolerance, ChronoUnit.MILLIS);
    }

    @Override
    public void verify(SignedRequest request, Instant now) {
        if (request.method() == null || request.uri() == null) {
            // A wiring mistake, not the sender's: fail loudly instead of answering every request 401.
            throw new IllegalArgumentException("hubspot-v3 signs the method and the full URL; SignedRequest needs both");
        }
        String signature = Headers.required(request, SIGNATURE_HEADER);
        String sent = Headers.required(request, TIMESTAMP_HEADER);
        requireFresh(TIMESTAMP_HEADER, sent, "unix milliseconds", now);

        byte[] expected = hmac.sign(Hmac.utf8(request.method() + decodeUri(request.uri())),
                request.body(), Hmac.utf8(sent));
        Hmac.requireMatch(expected, Hmac.base64(signature));
    }

    /** One left-to-right pass, so {@code %253A} stays {@code %253A} instead of becoming {@code :}. */
    static String decodeUri(String uri) {
        StringBuilder decoded = new StringBuilder(uri.length());
        for (int i = 0; i < uri.length(); i++) {
            Character plain = uri.charAt(i) == '%' && i + 3 <= uri.length()
                    ? DECODED.get(uri.substring(i + 1, i + 3).toUpperCase(Locale.ROOT)) : null;
            if (plain != null) {
                decoded.append(plain.charValue());
                i += 2;
            } else {
                decoded.append(uri.charAt(i));
            }
        }
        return decoded.toString();
    }
}
