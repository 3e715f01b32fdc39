package io.syncline.connector.rest.signature;

import io.syncline.connector.rest.RestSettings.SignatureScheme;
import io.syncline.webhook.signature.SignatureRejectedException;
import io.syncline.webhook.signature.SignatureVerifier;
import io.syncline.webhook.signature.SignedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GitHubSignatureVerifierTest {

    // GitHub's documented test values ("Validating webhook deliveries").
    private static final String SECRET = "It's a Secret to Everybody";
    private static final String BODY = "Hello, World!";
    private static final String SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");

    private final SignatureVerifier verifier = SignatureVerifiers.create(SignatureScheme.GITHUB, SECRET, null, null);

    @Test
    void acceptsGitHubsDocumentedExample() {
        assertThatCode(() -> verifier.verify(request(BODY, SIGNATURE), NOW)).doesNotThrowAnyException();
    }

    @Test
    void acceptsAnyTimeBecauseGitHubSignsNoTimestamp() {
        assertThatCode(() -> verifier.verify(request(BODY, SIGNATURE), Instant.EPOCH)).doesNotThrowAnyException();
    }

    @Test
    void headerNameIsCaseInsensitive() {
        assertThatCode(() -> verifier.verify(TestSigning.post("https://x.example/gh", BODY, "x-hub-signature-256", SIGNATURE), NOW))
                .doesNotThrowAnyException();
        assertThatCode(() -> verifier.verify(TestSigning.post("https://x.example/gh", BODY, "X-HUB-SIGNATURE-256", SIGNATURE), NOW))
                .doesNotThrowAnyException();
    }

    @Test
    void rejectsASignatureMadeWithAnotherSecret() {
        String forged = "sha256=" + TestSigning.hmacHex("another secret", BODY);

        assertRejected(request(BODY, forged), "signature does not match");
    }

    @Test
    void rejectsATamperedBody() {
        assertRejected(request("Hello, World?", SIGNATURE), "signature does not match");
    }

    @Test
    void rejectsAMissingHeader() {
        assertRejected(TestSigning.post("https://x.example/gh", BODY, "X-Hub-Signature", "sha1=abc"),
                "missing X-Hub-Signature-256 header");
    }

    @ParameterizedTest
    @ValueSource(strings = {"757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", "sha1=757107ea",
            "SHA256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"})
    void rejectsAHeaderWithoutTheSha256Prefix(String header) {
        assertRejected(request(BODY, header), "malformed X-Hub-Signature-256 header: expected sha256=<hex>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256=", "sha256=zz", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1",
            "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17ff", "sha256=not hex at all"})
    void treatsBadHexAsAMismatch(String header) {
        assertRejected(request(BODY, header), "signature does not match");
    }

    @Test
    void eventIdIsTheDeliveryHeader() {
        SignedRequest request = TestSigning.post("https://x.example/gh", BODY,
                "X-Hub-Signature-256", SIGNATURE, "x-github-delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958");

        assertThat(verifier.eventId(request)).contains("72d3162e-cc78-11e3-81ab-4c9367dc0958");
        assertThat(verifier.eventId(request(BODY, SIGNATURE))).isEmpty();
    }

    @Test
    void reasonsNeverCarryTheSecretOrTheExpectedSignature() {
        for (SignedRequest bad : new SignedRequest[]{request("tampered", SIGNATURE), request(BODY, "sha256=00"),
                request(BODY, "nonsense"), TestSigning.post("https://x.example/gh", BODY)}) {
            assertThatThrownBy(() -> verifier.verify(bad, NOW))
                    .isInstanceOf(SignatureRejectedException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET)
                            .doesNotContain(TestSigning.hmacHex(SECRET, new String(bad.body(), StandardCharsets.UTF_8))));
        }
    }

    private static SignedRequest request(String body, String signature) {
        return TestSigning.post("https://x.example/gh", body, "X-Hub-Signature-256", signature);
    }

    private void assertRejected(SignedRequest request, String reason) {
        assertThatThrownBy(() -> verifier.verify(request, NOW))
                .isInstanceOfSatisfying(SignatureRejectedException.class, e -> {
                    assertThat(e).hasMessage(reason);
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.code()).isEqualTo("invalid_signature");
                });
    }
}
