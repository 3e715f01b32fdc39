package io.syncline.connector.rest.signature;

import io.syncline.connector.rest.RestSettings.SignatureEncoding;
import io.syncline.connector.rest.RestSettings.TimestampFormat;
import io.syncline.webhook.signature.SignatureRejectedException;
import io.syncline.webhook.signature.SignatureVerifier;
import io.syncline.webhook.signature.SignedRequest;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * {@code hmac} (and {@code hmac-sha256}, its hex SHA-256 form): a sender that signs the raw body,
 * or a timestamp and the raw body, with a shared secret. What varies between senders is data:
 *
 * <ul>
 *   <li>the header that carries the signature, and a prefix before it ({@code sha256=}) that is
 *       skipped, in either case, when present;</li>
 *   <li>the hash (HMAC-SHA256 or HMAC-SHA1, keyed with the secret's UTF-8 bytes) and how the
 *       digest is written (hex in either case, or standard base64);</li>
 *   <li>with a {@link SignedTimestamp}: the signed text is the timestamp header's value exactly as
 *       sent, then the separator, then the raw body bytes (or the body, the separator and the value,
 *       where the sender signs the timestamp after the body), and the timestamp must lie within the
 *       tolerance of now, in either direction. Signing the timestamp stops an attacker from
 *       refreshing an old request. Without one, a signature never expires, so replays are caught by
 *       the inbox's event id further down.</li>
 * </ul>
 * The digests are compared decoded, in constant time.
 */
final class GenericHmacSignatureVerifier implements SignatureVerifier {

    /** The timestamp header of {@code hmac-sha256} with a tolerance. */
    static final String TIMESTAMP_HEADER = "X-Signature-Timestamp";

    /**
     * @param separator what stands between the timestamp and the body in the signed text
     * @param after     whether the timestamp follows the body in the signed text rather than preceding it
     */
    record SignedTimestamp(String header, TimestampFormat format, String separator, Duration tolerance, boolean after) {

        SignedTimestamp(String header, TimestampFormat format, String separator, Duration tolerance) {
            this(header, format, separator, tolerance, false);
        }
    }

    private final Hmac hmac;
    private final String header;
    private final SignatureEncoding encoding;
    private final String prefix;
    private final SignedTimestamp timestamp;

    /**
     * @param prefix    skipped before the digest when present; null for none
     * @param timestamp null when the sender signs the body alone
     */
    GenericHmacSignatureVerifier(Hmac hmac, String header, SignatureEncoding encoding, String prefix,
            SignedTimestamp timestamp) {
        this.hmac = hmac;
        this.header = header;
        this.encoding = encoding;
        this.prefix = prefix == null || prefix.isEmpty() ? null : prefix;
        this.timestamp = timestamp;
    }

    @Override
    public void verify(SignedRequest request, Instant now) {
        String signature = Headers.required(request, header);
        byte[] expected;
        if (timestamp == null) {
            expected = hmac.sign(request.body());
        } else {
            String sent = Headers.required(request, timestamp.header());
            requireFresh(sent, now);
            expected = timestamp.after()
                    ? hmac.sign(request.body(), Hmac.utf8(timestamp.separator() + sent))
                    : hmac.sign(Hmac.utf8(sent + timestamp.separator()), request.body());
        }
        String digest = prefix != null && signature.regionMatches(true, 0, prefix, 0, prefix.length())
                ? signature.substring(prefix.length()) : signature;
        byte[] given = encoding == SignatureEncoding.BASE64 ? Hmac.base64(digest) : Hmac.hex(digest);
        Hmac.requireMatch(expected, given);
    }

    private void requireFresh(String sent, Instant now) {
        String name = timestamp.header();
        switch (timestamp.format()) {
            case UNIX_SECONDS -> Timestamps.requireWithin(Timestamps.parse(name, sent, "unix seconds"), now,
                    timestamp.tolerance(), ChronoUnit.SECONDS);
            case UNIX_MILLIS -> Timestamps.requireWithin(Timestamps.parse(name, sent, "unix milliseconds"), now,
                    timestamp.tolerance(), ChronoUnit.MILLIS);
            case ISO_8601 -> Timestamps.requireWithin(isoMillis(name, sent), now, timestamp.tolerance(), ChronoUnit.MILLIS);
            case DATE -> Timestamps.requireWithin(dateMillis(name, sent), now, timestamp.tolerance(), ChronoUnit.MILLIS);
        }
    }

    /** An HTTP date (RFC 9110's IMF-fixdate, {@code Tue, 14 Apr 2026 03:50:12 GMT}), else an ISO-8601 time, in unix milliseconds. */
    private static long dateMillis(String name, String sent) {
        try {
            return ZonedDateTime.parse(sent, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException notHttpDate) {
            try {
                return OffsetDateTime.parse(sent).toInstant().toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new SignatureRejectedException("malformed " + name + " header: expected an HTTP date or an ISO-8601 time with its offset");
            }
        }
    }

    /** An ISO-8601 instant with its offset ({@code 2021-03-25T05:09:27Z}), in unix milliseconds. */
    private static long isoMillis(String name, String sent) {
        try {
            return OffsetDateTime.parse(sent).toInstant().toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new SignatureRejectedException("malformed " + name + " header: expected an ISO-8601 time with its offset");
        }
    }
}
