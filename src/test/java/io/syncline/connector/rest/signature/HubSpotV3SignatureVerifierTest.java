package io.syncline.connector.rest.signature;

import io.syncline.connector.rest.RestSettings.SignatureScheme;
import io.syncline.webhook.signature.SignatureRejectedException;
import io.syncline.webhook.signature.SignatureVerifier;
import io.syncline.webhook.signature.SignedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubSpotV3SignatureVerifierTest {

    private static final String SECRET = "hubspot-client-secret";
    private static final String URI = "https://syncline.example.com/hooks/hubspot";
    private static final String BODY = "[{\"eventId\":1}]";
    private static final long TS = 1_700_000_000_000L;
    private static final Instant NOW = Instant.ofEpochMilli(TS + 1_000);

    private final SignatureVerifier verifier = SignatureVerifiers.create(SignatureScheme.HUBSPOT_V3, SECRET, null, null);

    @Test
    void acceptsTheVectorFromHubSpotsPythonSdkTests() {
        // hubspot-api-python tests/spec/utils/test_signature.py, test_get_signature__v3.
        SignatureVerifier sdk = SignatureVerifiers.create(SignatureScheme.HUBSPOT_V3, "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy", null, null);
        SignedRequest request = TestSigning.post("https://www.example.com/webhook_uri", "{'example_field':'example_value'}",
                "X-HubSpot-Signature-v3", "HPW73RUtKmcYoEDADG0s6MmGFWUzWJKAW07r8RDgcQw=",
                "X-HubSpot-Request-Timestamp", "15000000");

        assertThatCode(() -> sdk.verify(request, Instant.ofEpochMilli(15_000_000))).doesNotThrowAnyException();
    }

    @Test
    void signsMethodUriBodyAndTimestampWithoutSeparators() {
        String signature = TestSigning.hmacBase64(SECRET, "POST" + URI + BODY + TS);

        assertAccepted(request("POST", URI, BODY, signature, String.valueOf(TS)), NOW);
        assertRejected(request("PUT", URI, BODY, signature, String.valueOf(TS)), NOW, "signature does not match");
        assertRejected(request("POST", URI + "/", BODY, signature, String.valueOf(TS)), NOW, "signature does not match");
        assertRejected(request("POST", URI.replace("https", "http"), BODY, signature, String.valueOf(TS)), NOW,
                "signature does not match");
    }

    @Test
    void decodesOnlyTheEscapesInHubSpotsTable() {
        String sent = URI + "?tag=a%2Cb%20c%3Dd&who=me%40example.com";
        // Computed outside Java over ...?tag=a,b%20c%3Dd&who=me@example.com with openssl dgst -sha256 -hmac … -binary | base64
        String signature = "mHF+fNASvArKRbg0tYwSJGTTM9tjhFbZY3nEnbKKkDE=";

        assertAccepted(request("POST", sent, BODY, signature, String.valueOf(TS)), NOW);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "https://h.example/a%3Ab%2Fc%3Fd%40e%21f%24g%27h%28i%29j%2Ak%2Cl%3Bm | https://h.example/a:b/c?d@e!f$g'h(i)j*k,l;m",
            "https://h.example/a%3ab%2cc | https://h.example/a:b,c",
            "https://h.example/a%20b%3Dc%26d%25e | https://h.example/a%20b%3Dc%26d%25e",
            "https://h.example/a%253A | https://h.example/a%253A",
            "https://h.example/a%3 | https://h.example/a%3",
            "https://h.example/?q=1 | https://h.example/?q=1"})
    void uriDecoding(String sent, String signed) {
        assertThat(HubSpotV3SignatureVerifier.decodeUri(sent)).isEqualTo(signed);
    }

    @Test
    void rejectsAnotherSecret() {
        String forged = TestSigning.hmacBase64("other-secret", "POST" + URI + BODY + TS);

        assertRejected(request("POST", URI, BODY, forged, String.valueOf(TS)), NOW, "signature does not match");
    }

    @Test
    void rejectsATamperedBodyAndAMovedTimestamp() {
        String signature = TestSigning.hmacBase64(SECRET, "POST" + URI + BODY + TS);

        assertRejected(request("POST", URI, "[{\"eventId\":2}]", signature, String.valueOf(TS)), NOW, "signature does not match");
        assertRejected(request("POST", URI, BODY, signature, String.valueOf(TS + 1)), NOW, "signature does not match");
    }

    @Test
    void rejectsMissingHeaders() {
        String signature = TestSigning.hmacBase64(SECRET, "POST" + URI + BODY + TS);

        assertRejected(TestSigning.post(URI, BODY, "X-HubSpot-Request-Timestamp", String.valueOf(TS)), NOW,
                "missing X-HubSpot-Signature-v3 header");
        assertRejected(TestSigning.post(URI, BODY, "X-HubSpot-Signature-v3", signature), NOW,
                "missing X-HubSpot-Request-Timestamp header");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1.7e12", "-1700000000000", "1700000000000ms", "99999999999999999999"})
    void rejectsATimestampThatIsNotUnixMilliseconds(String timestamp) {
        assertRejected(request("POST", URI, BODY, "AAAA", timestamp), NOW,
                "malformed X-HubSpot-Request-Timestamp header: expected unix milliseconds");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64!", "AAA=A", "====", "AAAA"})
    void treatsBadBase64AsAMismatch(String signature) {
        assertRejected(request("POST", URI, BODY, signature, String.valueOf(TS)), NOW, "signature does not match");
    }

    @Test
    void acceptsExactlyFiveMinutesEitherWayInMilliseconds() {
        SignedRequest request = signed(TS);

        assertAccepted(request, Instant.ofEpochMilli(TS + 300_000));
        assertAccepted(request, Instant.ofEpochMilli(TS - 300_000));
    }

    @Test
    void rejectsOneMillisecondBeyondFiveMinutesEitherWay() {
        SignedRequest request = signed(TS);
        String reason = "timestamp 1700000000000 is outside the 300 s tolerance";

        assertRejected(request, Instant.ofEpochMilli(TS + 300_001), reason);
        assertRejected(request, Instant.ofEpochMilli(TS - 300_001), reason);
    }

    @Test
    void headerNamesAreCaseInsensitive() {
        String signature = TestSigning.hmacBase64(SECRET, "POST" + URI + BODY + TS);
        SignedRequest request = new SignedRequest("POST", URI, Map.of("x-hubspot-signature-v3", signature,
                "X-HUBSPOT-REQUEST-TIMESTAMP", String.valueOf(TS)), BODY.getBytes(StandardCharsets.UTF_8));

        assertAccepted(request, NOW);
    }

    @Test
    void missingMethodOrUriIsAWiringMistakeNotA401() {
        SignedRequest noUri = new SignedRequest("POST", null, signed(TS).headers(), BODY.getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> verifier.verify(noUri, NOW))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("full URL");
    }

    @Test
    void eventIdIsNotKnownAtThisLayer() {
        assertThat(verifier.eventId(signed(TS))).isEmpty();
    }

    @Test
    void reasonsNeverCarryTheSecretOrTheExpectedSignature() {
        String expected = TestSigning.hmacBase64(SECRET, "POST" + URI + BODY + TS);
        for (SignedRequest bad : new SignedRequest[]{request("POST", URI, BODY, "AAAA", String.valueOf(TS)),
                request("POST", URI, BODY, expected, "soon"), TestSigning.post(URI, BODY)}) {
            assertThatThrownBy(() -> verifier.verify(bad, NOW))
                    .isInstanceOf(SignatureRejectedException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain(expected));
        }
    }

    private static SignedRequest signed(long timestamp) {
        return request("POST", URI, BODY, TestSigning.hmacBase64(SECRET, "POST" + URI + BODY + timestamp), String.valueOf(timestamp));
    }

    private static SignedRequest request(String method, String uri, String body, String signature, String timestamp) {
        return new SignedRequest(method, uri, Map.of("X-HubSpot-Signature-v3", signature,
                "X-HubSpot-Request-Timestamp", timestamp), body.getBytes(StandardCharsets.UTF_8));
    }

    private void assertAccepted(SignedRequest request, Instant now) {
        assertThatCode(() -> verifier.verify(request, now)).doesNotThrowAnyException();
    }

    private void assertRejected(SignedRequest request, Instant now, String reason) {
        assertThatThrownBy(() -> verifier.verify(request, now))
                .isInstanceOf(SignatureRejectedException.class)
                .hasMessage(reason);
    }
}
