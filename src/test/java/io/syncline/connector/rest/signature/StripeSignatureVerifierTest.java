package io.syncline.connector.rest.signature;

import io.syncline.connector.rest.RestSettings.SignatureScheme;
import io.syncline.webhook.signature.SignatureRejectedException;
import io.syncline.webhook.signature.SignatureVerifier;
import io.syncline.webhook.signature.SignedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StripeSignatureVerifierTest {

    private static final String SECRET = "whsec_syncline_test_secret";
    private static final String BODY = "{\"id\":\"evt_1\",\"type\":\"customer.updated\"}";
    private static final long T = 1_700_000_000L;
    // Computed outside Java: printf '1700000000.<BODY>' | openssl dgst -sha256 -hmac whsec_syncline_test_secret
    private static final String V1 = "51a05b19f440f8edcaed7fe752c42709c9710d2e553e4bfd91b17bcfc8b52622";
    private static final Instant NOW = Instant.ofEpochSecond(T + 10);

    private final SignatureVerifier verifier = SignatureVerifiers.create(SignatureScheme.STRIPE, SECRET, null, null);

    @Test
    void acceptsAFixedVector() {
        assertAccepted(request(BODY, "t=" + T + ",v1=" + V1), NOW);
    }

    @Test
    void signedPayloadIsTimestampDotRawBody() {
        String v1 = TestSigning.hmacHex(SECRET, T + "." + BODY);

        assertThat(v1).isEqualTo(V1);
        assertAccepted(request(BODY, "t=" + T + ",v1=" + v1 + ",v0=" + "ab".repeat(32)), NOW);
    }

    @Test
    void acceptsWhenOnlyTheSecondV1Matches() {
        String previousSecret = TestSigning.hmacHex("whsec_rolled_away", T + "." + BODY);

        assertAccepted(request(BODY, "t=" + T + ",v1=" + previousSecret + ",v1=" + V1 + ",v0=" + previousSecret), NOW);
    }

    @Test
    void keyIsTheWholeSecretIncludingTheWhsecPrefix() {
        String withoutPrefix = TestSigning.hmacHex("syncline_test_secret", T + "." + BODY);

        assertRejected(request(BODY, "t=" + T + ",v1=" + withoutPrefix), NOW, "signature does not match");
    }

    @Test
    void ignoresV0AndUnknownSchemesEvenWhenTheyWouldMatch() {
        assertRejected(request(BODY, "t=" + T + ",v0=" + V1 + ",v2=" + V1 + ",v1=" + "00".repeat(32)), NOW,
                "signature does not match");
        assertRejected(request(BODY, "t=" + T + ",v0=" + V1), NOW,
                "malformed Stripe-Signature header: expected t=<unix seconds>,v1=<hex>");
    }

    @Test
    void rejectsAnotherSecret() {
        String forged = TestSigning.hmacHex("whsec_other_secret", T + "." + BODY);

        assertRejected(request(BODY, "t=" + T + ",v1=" + forged), NOW, "signature does not match");
    }

    @Test
    void rejectsATamperedBody() {
        assertRejected(request(BODY.replace("evt_1", "evt_2"), "t=" + T + ",v1=" + V1), NOW, "signature does not match");
    }

    @Test
    void rejectsAMovedTimestampBecauseItIsSigned() {
        assertRejected(request(BODY, "t=" + (T + 1) + ",v1=" + V1), NOW, "signature does not match");
    }

    @Test
    void rejectsAMissingHeader() {
        assertRejected(TestSigning.post("https://x.example/stripe", BODY), NOW, "missing Stripe-Signature header");
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "v1=51a05b19", "t=1700000000", "t=1700000000,v1", "t,v1", ",,,",
            "t=1700000000;v1=51a05b19"})
    void rejectsAHeaderWithoutTimestampOrV1(String header) {
        assertRejected(request(BODY, header), NOW, "malformed Stripe-Signature header: expected t=<unix seconds>,v1=<hex>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"t=abc,v1=00", "t=,v1=00", "t=-1700000000,v1=00", "t=+1700000000,v1=00", "t=1.7e9,v1=00",
            "t=99999999999999999999,v1=00"})
    void rejectsATimestampThatIsNotUnixSeconds(String header) {
        assertRejected(request(BODY, header), NOW, "malformed Stripe-Signature header: expected t=<unix seconds>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz", "", "51a05b19", "51a05b19f440f8edcaed7fe752c42709c9710d2e553e4bfd91b17bcfc8b526220"})
    void treatsBadHexAsAMismatch(String v1) {
        assertRejected(request(BODY, "t=" + T + ",v1=" + v1), NOW, "signature does not match");
    }

    @Test
    void toleratesSpacesAndUpperCaseHex() {
        assertAccepted(request(BODY, "t=" + T + ", v1=" + V1.toUpperCase()), NOW);
    }

    @Test
    void acceptsExactlyTheDefaultToleranceEitherWay() {
        SignedRequest request = request(BODY, "t=" + T + ",v1=" + V1);

        assertAccepted(request, Instant.ofEpochSecond(T + 300));
        assertAccepted(request, Instant.ofEpochSecond(T - 300));
    }

    @Test
    void rejectsOneSecondBeyondTheToleranceEitherWay() {
        SignedRequest request = request(BODY, "t=" + T + ",v1=" + V1);
        String reason = "timestamp 1700000000 is outside the 300 s tolerance";

        assertRejected(request, Instant.ofEpochSecond(T + 301), reason);
        assertRejected(request, Instant.ofEpochSecond(T - 301), reason);
    }

    @Test
    void usesAConfiguredTolerance() {
        SignatureVerifier strict = SignatureVerifiers.create(SignatureScheme.STRIPE, SECRET, "stripe-signature", 60);
        SignedRequest request = request(BODY, "t=" + T + ",v1=" + V1);

        assertThatCode(() -> strict.verify(request, Instant.ofEpochSecond(T + 60))).doesNotThrowAnyException();
        assertThatThrownBy(() -> strict.verify(request, Instant.ofEpochSecond(T + 61)))
                .hasMessage("timestamp 1700000000 is outside the 60 s tolerance");
    }

    @Test
    void headerNameIsCaseInsensitive() {
        assertAccepted(TestSigning.post("https://x.example/stripe", BODY, "stripe-signature", "t=" + T + ",v1=" + V1), NOW);
    }

    @Test
    void eventIdIsNotKnownAtThisLayer() {
        assertThat(verifier.eventId(request(BODY, "t=" + T + ",v1=" + V1))).isEmpty();
    }

    @Test
    void reasonsNeverCarryTheSecretOrTheExpectedSignature() {
        String tampered = BODY + " ";
        String expectedForTampered = TestSigning.hmacHex(SECRET, T + "." + tampered);
        for (SignedRequest bad : new SignedRequest[]{request(tampered, "t=" + T + ",v1=" + V1),
                request(BODY, "t=" + T + ",v1=00"), request(BODY, "nonsense")}) {
            assertThatThrownBy(() -> verifier.verify(bad, NOW))
                    .isInstanceOf(SignatureRejectedException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain("syncline_test_secret")
                            .doesNotContain(expectedForTampered).doesNotContain(V1));
        }
    }

    private static SignedRequest request(String body, String header) {
        return TestSigning.post("https://x.example/stripe", body, "Stripe-Signature", header);
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
