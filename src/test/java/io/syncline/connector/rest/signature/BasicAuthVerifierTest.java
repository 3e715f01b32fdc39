package io.syncline.connector.rest.signature;

import io.syncline.connector.rest.RestSettings.SignatureScheme;
import io.syncline.webhook.signature.SignatureRejectedException;
import io.syncline.webhook.signature.SignatureVerifier;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code basic}: a delivery carries the webhook's HTTP Basic credentials (Pipedrive's http_auth_user and http_auth_password). */
class BasicAuthVerifierTest {

    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private final SignatureVerifier verifier = SignatureVerifiers.create(SignatureScheme.BASIC, "syncline:s3cret:pass", null, null);

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptsTheCredentials() {
        assertThatCode(() -> verifier.verify(TestSigning.post("https://x.example/pd", "{}", "authorization",
                basic("syncline:s3cret:pass")), NOW)).doesNotThrowAnyException();
    }

    @Test
    void rejectsOtherCredentialsAndNone() {
        assertThatThrownBy(() -> verifier.verify(TestSigning.post("https://x.example/pd", "{}", "Authorization",
                basic("syncline:guess")), NOW)).isInstanceOf(SignatureRejectedException.class)
                .hasMessage("credentials do not match");
        assertThatThrownBy(() -> verifier.verify(TestSigning.post("https://x.example/pd", "{}", "X-Other", "x"), NOW))
                .isInstanceOf(SignatureRejectedException.class).hasMessageContaining("missing Authorization header");
    }

    @Test
    void refusesASecretThatIsNotUserColonPasswordAndATolerance() {
        assertThatThrownBy(() -> SignatureVerifiers.create(SignatureScheme.BASIC, "just-a-password", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user:password");
        assertThatThrownBy(() -> SignatureVerifiers.create(SignatureScheme.BASIC, "a:b", null, 300))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("toleranceSeconds");
    }
}
