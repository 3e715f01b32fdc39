package io.syncline.connector.rest.signature;

import io.syncline.connector.rest.RestSettings.HmacAlgorithm;
import io.syncline.connector.rest.RestSettings.SignatureEncoding;
import io.syncline.connector.rest.RestSettings.SignatureScheme;
import io.syncline.connector.rest.RestSettings.SignedTimestamp;
import io.syncline.connector.rest.RestSettings.TimestampFormat;
import io.syncline.connector.rest.RestSettings.TimestampPosition;
import io.syncline.connector.rest.RestSettings.Webhook;
import io.syncline.webhook.signature.SignatureRejectedException;
import io.syncline.webhook.signature.SignatureVerifier;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code hmac} scheme set up as each provider documents its webhook signature, signed the way
 * the provider says (by {@link TestSigning}, apart from the production code): a valid request
 * passes; a tampered body, a wrong secret and, where a timestamp is signed, a stale one fail.
 *
 * <ul>
 *   <li>Shopify: {@code X-Shopify-Hmac-Sha256}, base64 HMAC-SHA256 of the raw body, keyed with the app's secret.</li>
 *   <li>Zendesk: {@code X-Zendesk-Webhook-Signature}, base64 HMAC-SHA256 of
 *       {@code X-Zendesk-Webhook-Signature-Timestamp} (ISO-8601, e.g. {@code 2021-03-25T05:09:27Z}) + body.</li>
 *   <li>QuickBooks Online: {@code intuit-signature}, base64 HMAC-SHA256 of the body keyed with the verifier token.</li>
 *   <li>Xero: {@code x-xero-signature}, base64 HMAC-SHA256 of the body keyed with the webhook key.</li>
 *   <li>Klaviyo: {@code Klaviyo-Signature}, hex HMAC-SHA256 of the body followed by {@code Klaviyo-Timestamp}
 *       (an HTTP date), keyed with the webhook's secret key.</li>
 * </ul>
 */
class ProviderHmacSignaturesTest {

    private static final String SECRET = "hush-0123456789";
    private static final String URL = "https://sync.example.com/webhooks/x";
    private static final String BODY = "{\"id\":820982911946154508,\"email\":\"jon@example.com\"}";
    private static final Instant NOW = Instant.parse("2026-11-26T08:30:00Z");

    private static SignatureVerifier base64Body(String header) {
        return SignatureVerifiers.create(new Webhook(SignatureScheme.HMAC, header, null, null, HmacAlgorithm.SHA256,
                SignatureEncoding.BASE64, null, null), SECRET);
    }

    private static SignatureVerifier zendesk() {
        return SignatureVerifiers.create(new Webhook(SignatureScheme.HMAC, "X-Zendesk-Webhook-Signature", null, 300,
                HmacAlgorithm.SHA256, SignatureEncoding.BASE64, null,
                new SignedTimestamp("X-Zendesk-Webhook-Signature-Timestamp", TimestampFormat.ISO_8601, null)), SECRET);
    }

    @Test
    void shopifyQuickBooksAndXeroSignTheBodyInBase64() {
        for (String header : new String[]{"X-Shopify-Hmac-Sha256", "intuit-signature", "x-xero-signature"}) {
            SignatureVerifier verifier = base64Body(header);
            String signature = TestSigning.hmacBase64(SECRET, BODY);

            assertThatCode(() -> verifier.verify(TestSigning.post(URL, BODY, header, signature), NOW))
                    .as(header).doesNotThrowAnyException();
            // headers are matched in any case, as senders and proxies write them differently
            assertThatCode(() -> verifier.verify(TestSigning.post(URL, BODY, header.toUpperCase(), signature), NOW))
                    .doesNotThrowAnyException();
            assertThatThrownBy(() -> verifier.verify(TestSigning.post(URL, BODY.replace("jon", "eve"), header, signature), NOW))
                    .as("tampered body").isInstanceOf(SignatureRejectedException.class).hasMessage("signature does not match");
            assertThatThrownBy(() -> verifier.verify(TestSigning.post(URL, BODY, header,
                    TestSigning.hmacBase64("another-secret", BODY)), NOW)).isInstanceOf(SignatureRejectedException.class);
            // the hex of the right digest is not its base64: the encoding is the provider's, not a guess
            assertThatThrownBy(() -> verifier.verify(TestSigning.post(URL, BODY, header, TestSigning.hmacHex(SECRET, BODY)), NOW))
                    .isInstanceOf(SignatureRejectedException.class);
            assertThatThrownBy(() -> verifier.verify(TestSigning.post(URL, BODY), NOW))
                    .isInstanceOf(SignatureRejectedException.class).hasMessage("missing " + header + " header");
        }
    }

    @Test
    void zendeskSignsItsIsoTimestampThenTheBodyWithoutSeparator() {
        String timestamp = "2026-11-26T08:29:10Z";
        String signature = TestSigning.hmacBase64(SECRET, timestamp + BODY);

        assertThatCode(() -> zendesk().verify(TestSigning.post(URL, BODY, "X-Zendesk-Webhook-Signature", signature,
                "X-Zendesk-Webhook-Signature-Timestamp", timestamp), NOW)).doesNotThrowAnyException();
        assertThatThrownBy(() -> zendesk().verify(TestSigning.post(URL, BODY + " ", "X-Zendesk-Webhook-Signature", signature,
                "X-Zendesk-Webhook-Signature-Timestamp", timestamp), NOW))
                .as("tampered body").hasMessage("signature does not match");
        // a refreshed timestamp on an old signature: the timestamp is signed too
        assertThatThrownBy(() -> zendesk().verify(TestSigning.post(URL, BODY, "X-Zendesk-Webhook-Signature", signature,
                "X-Zendesk-Webhook-Signature-Timestamp", "2026-11-26T08:29:20Z"), NOW))
                .hasMessage("signature does not match");
    }

    @Test
    void zendeskRefusesAStaleOrMalformedTimestamp() {
        String stale = "2026-11-26T08:24:59Z";
        assertThatThrownBy(() -> zendesk().verify(TestSigning.post(URL, BODY, "X-Zendesk-Webhook-Signature",
                TestSigning.hmacBase64(SECRET, stale + BODY), "X-Zendesk-Webhook-Signature-Timestamp", stale), NOW))
                .isInstanceOf(SignatureRejectedException.class).hasMessageContaining("outside the 300 s tolerance");
        String edge = "2026-11-26T08:25:00Z";
        assertThatCode(() -> zendesk().verify(TestSigning.post(URL, BODY, "X-Zendesk-Webhook-Signature",
                TestSigning.hmacBase64(SECRET, edge + BODY), "X-Zendesk-Webhook-Signature-Timestamp", edge), NOW))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> zendesk().verify(TestSigning.post(URL, BODY, "X-Zendesk-Webhook-Signature",
                TestSigning.hmacBase64(SECRET, "yesterday" + BODY), "X-Zendesk-Webhook-Signature-Timestamp", "yesterday"), NOW))
                .hasMessage("malformed X-Zendesk-Webhook-Signature-Timestamp header: expected an ISO-8601 time with its offset");
        assertThatThrownBy(() -> zendesk().verify(TestSigning.post(URL, BODY, "X-Zendesk-Webhook-Signature",
                TestSigning.hmacBase64(SECRET, BODY)), NOW))
                .hasMessage("missing X-Zendesk-Webhook-Signature-Timestamp header");
    }

    @Test
    void sha1HexWithAPrefixAndAUnixTimestampWithASeparator() throws Exception {
        SignatureVerifier verifier = SignatureVerifiers.create(new Webhook(SignatureScheme.HMAC, "X-Signature", null, 60,
                HmacAlgorithm.SHA1, SignatureEncoding.HEX, "sha1=",
                new SignedTimestamp("X-Timestamp", TimestampFormat.UNIX_MILLIS, ".")), SECRET);
        String millis = Long.toString(NOW.minusSeconds(30).toEpochMilli());
        String signature = "sha1=" + sha1Hex(millis + "." + BODY);

        assertThatCode(() -> verifier.verify(TestSigning.post(URL, BODY, "X-Signature", signature, "X-Timestamp", millis), NOW))
                .doesNotThrowAnyException();
        assertThatCode(() -> verifier.verify(TestSigning.post(URL, BODY, "X-Signature", signature.substring(5).toUpperCase(),
                "X-Timestamp", millis), NOW)).as("prefix optional, hex in either case").doesNotThrowAnyException();
        assertThatThrownBy(() -> verifier.verify(TestSigning.post(URL, BODY, "X-Signature", signature, "X-Timestamp", millis),
                NOW.plusSeconds(31))).hasMessageContaining("outside the 60 s tolerance");
        assertThatThrownBy(() -> verifier.verify(TestSigning.post(URL, BODY, "X-Signature",
                "sha1=" + TestSigning.hmacHex(SECRET, millis + "." + BODY), "X-Timestamp", millis), NOW))
                .as("a SHA-256 digest where SHA-1 is expected").hasMessage("signature does not match");
    }

    @Test
    void klaviyoSignsTheBodyThenItsTimestampAnHttpDateOrAnIsoTime() {
        SignatureVerifier verifier = SignatureVerifiers.create(new Webhook(SignatureScheme.HMAC, "Klaviyo-Signature", null, null,
                HmacAlgorithm.SHA256, SignatureEncoding.HEX, null,
                new SignedTimestamp("Klaviyo-Timestamp", TimestampFormat.DATE, null, TimestampPosition.AFTER)), SECRET);
        for (String sent : new String[]{"Thu, 26 Nov 2026 08:29:10 GMT", "2026-11-26T08:29:10+00:00"}) {
            assertThatCode(() -> verifier.verify(TestSigning.post(URL, BODY, "Klaviyo-Signature", TestSigning.hmacHex(SECRET, BODY + sent),
                    "Klaviyo-Timestamp", sent), NOW)).as(sent).doesNotThrowAnyException();
            assertThatThrownBy(() -> verifier.verify(TestSigning.post(URL, BODY, "Klaviyo-Signature",
                    TestSigning.hmacHex(SECRET, sent + BODY), "Klaviyo-Timestamp", sent), NOW))
                    .as("the timestamp before the body").hasMessage("signature does not match");
        }
        String stale = "Thu, 26 Nov 2026 08:24:59 GMT";
        assertThatThrownBy(() -> verifier.verify(TestSigning.post(URL, BODY, "Klaviyo-Signature", TestSigning.hmacHex(SECRET, BODY + stale),
                "Klaviyo-Timestamp", stale), NOW)).hasMessageContaining("outside the 300 s tolerance");
        assertThatThrownBy(() -> verifier.verify(TestSigning.post(URL, BODY, "Klaviyo-Signature", TestSigning.hmacHex(SECRET, BODY + "soon"),
                "Klaviyo-Timestamp", "soon"), NOW))
                .hasMessage("malformed Klaviyo-Timestamp header: expected an HTTP date or an ISO-8601 time with its offset");
    }

    @Test
    void settingsThatCannotWorkStopTheBuild() {
        assertThatThrownBy(() -> SignatureVerifiers.create(new Webhook(SignatureScheme.HMAC, null, null, null), SECRET))
                .hasMessageContaining("needs the header that carries the signature");
        assertThatThrownBy(() -> SignatureVerifiers.create(new Webhook(SignatureScheme.HMAC, "X-Signature", null, 300), SECRET))
                .hasMessageContaining("toleranceSeconds needs a signed timestamp");
        assertThatThrownBy(() -> SignatureVerifiers.create(new Webhook(SignatureScheme.STRIPE, null, null, null,
                null, SignatureEncoding.BASE64, null, null), SECRET))
                .hasMessage("webhook signature stripe fixes its algorithm, encoding, prefix and timestamp;"
                        + " remove them or write signature: hmac");
    }

    private static String sha1Hex(String payload) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    }
}
