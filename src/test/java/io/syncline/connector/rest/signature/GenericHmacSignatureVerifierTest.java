package io.syncline.connector.rest.signature;

import io.syncline.connector.rest.RestSettings.SignatureScheme;
import io.syncline.webhook.signature.SignatureRejectedException;
import io.syncline.webhook.signature.SignatureVerifier;
import io.syncline.webhook.signature.SignedRequest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GenericHmacSignatureVerifierTest {

    private static final String SECRET = "generic-secret";
    private static final String BODY = "{\"event\":\"contact.updated\"}";
    // Computed outside Java: printf '<BODY>' | openssl dgst -sha256 -hmac generic-secret
    private static final String BODY_HEX = "864d7b5307c17d26583a53fa09d0f540df6c2b6c598219e312ac366252a3c930";
    private static final long T = 1_700_000_000L;
    // printf '1700000000.<BODY>' | openssl dgst -sha256 -hmac generic-secret
    private static final String TIMESTAMPED_HEX = "0e18bf99cc17c797e7073317a5de7a0511be59adefff8bbc33abe0bc62c9c720";
    private static final Instant NOW = Instant.ofEpochSecond(T);

    @Nested
    class BodyOnly {

        private final SignatureVerifier verifier = SignatureVerifiers.create(SignatureScheme.HMAC_SHA256, SECRET, "X-Signature", null);

        @ParameterizedTest
        @ValueSource(strings = {BODY_HEX, "sha256=" + BODY_HEX, "SHA256=" + BODY_HEX})
        void acceptsHexWithOrWithoutThePrefix(String signature) {
            assertThatCode(() -> verifier.verify(request(BODY, "X-Signature", signature), NOW)).doesNotThrowAnyException();
        }

        @Test
        void acceptsUpperCaseHexAndAnyHeaderCase() {
            assertThatCode(() -> verifier.verify(request(BODY, "x-signature", BODY_HEX.toUpperCase()), NOW))
                    .doesNotThrowAnyException();
        }

        @Test
        void needsNoTimestampAndIgnoresOne() {
            SignedRequest request = TestSigning.post("https://x.example/h", BODY, "X-Signature", BODY_HEX,
                    GenericHmacSignatureVerifier.TIMESTAMP_HEADER, "12");

            assertThatCode(() -> verifier.verify(request, Instant.EPOCH)).doesNotThrowAnyException();
        }

        @Test
        void rejectsAnotherSecretAndATamperedBody() {
            assertRejected(verifier, request(BODY, "X-Signature", TestSigning.hmacHex("other-secret", BODY)),
                    "signature does not match");
            assertRejected(verifier, request(BODY + "\n", "X-Signature", BODY_HEX), "signature does not match");
        }

        @Test
        void missingHeaderNamesTheConfiguredHeader() {
            assertRejected(verifier, request(BODY, "X-Hub-Signature-256", "sha256=" + BODY_HEX), "missing X-Signature header");
        }

        @ParameterizedTest
        @ValueSource(strings = {"zz", "sha256=", "sha256=sha256=" + BODY_HEX, "sha1=" + BODY_HEX, BODY_HEX + "0"})
        void treatsMalformedSignaturesAsAMismatch(String signature) {
            assertRejected(verifier, request(BODY, "X-Signature", signature), "signature does not match");
        }

        @Test
        void usesTheConfiguredHeaderName() {
            SignatureVerifier custom = SignatureVerifiers.create(SignatureScheme.HMAC_SHA256, SECRET, "X-Acme-Signature", null);

            assertThatCode(() -> custom.verify(request(BODY, "x-acme-signature", BODY_HEX), NOW)).doesNotThrowAnyException();
            assertRejected(custom, request(BODY, "X-Signature", BODY_HEX), "missing X-Acme-Signature header");
        }
    }

    @Nested
    class WithTolerance {

        private final SignatureVerifier verifier = SignatureVerifiers.create(SignatureScheme.HMAC_SHA256, SECRET, "X-Signature", 300);

        @Test
        void signsTimestampDotBody() {
            assertThat(TestSigning.hmacHex(SECRET, T + "." + BODY)).isEqualTo(TIMESTAMPED_HEX);
            assertThatCode(() -> verifier.verify(timestamped(BODY, TIMESTAMPED_HEX, String.valueOf(T)), NOW))
                    .doesNotThrowAnyException();
        }

        @Test
        void rejectsABodyOnlySignatureOnceATimestampIsRequired() {
            assertRejected(verifier, timestamped(BODY, BODY_HEX, String.valueOf(T)), "signature does not match");
        }

        @Test
        void rejectsAMovedTimestampBecauseItIsSigned() {
            assertRejected(verifier, timestamped(BODY, TIMESTAMPED_HEX, String.valueOf(T + 1)), "signature does not match");
        }

        @Test
        void requiresTheTimestampHeader() {
            assertRejected(verifier, request(BODY, "X-Signature", TIMESTAMPED_HEX), "missing X-Signature-Timestamp header");
        }

        @ParameterizedTest
        @ValueSource(strings = {"now", "1700000000.5", "-1", "+1700000000", "2023-11-14T22:13:20Z"})
        void rejectsATimestampThatIsNotUnixSeconds(String timestamp) {
            assertRejected(verifier, timestamped(BODY, TIMESTAMPED_HEX, timestamp),
                    "malformed X-Signature-Timestamp header: expected unix seconds");
        }

        @Test
        void acceptsExactlyTheToleranceEitherWay() {
            SignedRequest request = timestamped(BODY, TIMESTAMPED_HEX, String.valueOf(T));

            assertThatCode(() -> verifier.verify(request, Instant.ofEpochSecond(T + 300))).doesNotThrowAnyException();
            assertThatCode(() -> verifier.verify(request, Instant.ofEpochSecond(T - 300))).doesNotThrowAnyException();
        }

        @Test
        void rejectsOneSecondBeyondTheToleranceEitherWay() {
            SignedRequest request = timestamped(BODY, TIMESTAMPED_HEX, String.valueOf(T));
            String reason = "timestamp 1700000000 is outside the 300 s tolerance";

            assertRejected(verifier, request, reason, Instant.ofEpochSecond(T + 301));
            assertRejected(verifier, request, reason, Instant.ofEpochSecond(T - 301));
        }

        @Test
        void reasonsNeverCarryTheSecretOrTheExpectedSignature() {
            for (SignedRequest bad : new SignedRequest[]{timestamped(BODY, "00", String.valueOf(T)),
                    timestamped(BODY, TIMESTAMPED_HEX, "x"), request(BODY, "X-Signature", TIMESTAMPED_HEX)}) {
                assertThatThrownBy(() -> verifier.verify(bad, NOW))
                        .isInstanceOf(SignatureRejectedException.class)
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain(TIMESTAMPED_HEX));
            }
        }

        private SignedRequest timestamped(String body, String signature, String timestamp) {
            return TestSigning.post("https://x.example/h", body, "X-Signature", signature,
                    "X-Signature-Timestamp", timestamp);
        }
    }

    private static SignedRequest request(String body, String header, String signature) {
        return TestSigning.post("https://x.example/h", body, header, signature);
    }

    private static void assertRejected(SignatureVerifier verifier, SignedRequest request, String reason) {
        assertRejected(verifier, request, reason, NOW);
    }

    private static void assertRejected(SignatureVerifier verifier, SignedRequest request, String reason, Instant now) {
        assertThatThrownBy(() -> verifier.verify(request, now))
                .isInstanceOfSatisfying(SignatureRejectedException.class, e -> {
                    assertThat(e).hasMessage(reason);
                    assertThat(e.status()).isEqualTo(401);
                });
    }
}
