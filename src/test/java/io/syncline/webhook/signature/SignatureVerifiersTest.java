package io.syncline.webhook.signature;

import io.syncline.model.RestSystem.SignatureScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.Collections;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignatureVerifiersTest {

    private static final String SECRET = "s3cr3t-value-never-shown";

    @Test
    void buildsOneVerifierPerScheme() {
        assertThat(SignatureVerifiers.create(SignatureScheme.HMAC_SHA256, SECRET, "X-Signature", null))
                .isInstanceOf(GenericHmacSignatureVerifier.class);
        assertThat(SignatureVerifiers.create(SignatureScheme.STRIPE, SECRET, null, null)).isInstanceOf(StripeSignatureVerifier.class);
        assertThat(SignatureVerifiers.create(SignatureScheme.HUBSPOT_V3, SECRET, null, null))
                .isInstanceOf(HubSpotV3SignatureVerifier.class);
        assertThat(SignatureVerifiers.create(SignatureScheme.GITHUB, SECRET, null, null)).isInstanceOf(GitHubSignatureVerifier.class);
    }

    @Test
    void noneAcceptsEverything() {
        SignatureVerifier none = SignatureVerifiers.create(SignatureScheme.NONE, null, null, null);

        assertThatCode(() -> none.verify(new SignedRequest(null, null, null, null), Instant.EPOCH)).doesNotThrowAnyException();
        assertThatCode(() -> none.verify(TestSigning.post("https://x.example/h", "{}", "X-Signature", "forged"), Instant.now()))
                .doesNotThrowAnyException();
        assertThat(none.eventId(TestSigning.post("https://x.example/h", "{}"))).isEmpty();
    }

    @Test
    void noneRefusesSettingsItWouldIgnore() {
        assertThatThrownBy(() -> SignatureVerifiers.create(SignatureScheme.NONE, SECRET, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("webhook signature none verifies nothing, so secret would do nothing; remove it or choose a signing scheme")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
        assertThatThrownBy(() -> SignatureVerifiers.create(SignatureScheme.NONE, null, "X-Signature", null))
                .hasMessageContaining("header would do nothing");
        assertThatThrownBy(() -> SignatureVerifiers.create(SignatureScheme.NONE, null, null, 300))
                .hasMessageContaining("toleranceSeconds would do nothing");
    }

    @Test
    void aMissingSchemeListsTheChoices() {
        assertThatThrownBy(() -> SignatureVerifiers.create((SignatureScheme) null, SECRET, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("webhook signature scheme is missing; use one of none, hmac, hmac-sha256, stripe, hubspot-v3, github, basic");
    }

    @ParameterizedTest
    @ValueSource(strings = {"hubspot-v3", "HUBSPOT_V3", " Hubspot-V3 "})
    void buildsByYamlOrEnumName(String name) {
        assertThat(SignatureVerifiers.create(name, SECRET, null, null)).isInstanceOf(HubSpotV3SignatureVerifier.class);
    }

    @Test
    void anUnknownNameListsTheChoices() {
        assertThatThrownBy(() -> SignatureVerifiers.create("hmac-sha1", SECRET, "X-Signature", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown webhook signature scheme 'hmac-sha1'; use one of none, hmac, hmac-sha256, stripe, hubspot-v3, github, basic");
        assertThatThrownBy(() -> SignatureVerifiers.create((String) null, SECRET, null, null))
                .hasMessageContaining("scheme is missing");
    }

    @Test
    void yamlNamesMatchTheModel() {
        for (SignatureScheme scheme : SignatureScheme.values()) {
            assertThat(SignatureVerifiers.scheme(SignatureVerifiers.name(scheme))).isEqualTo(scheme);
        }
        assertThat(SignatureVerifiers.name(SignatureScheme.HMAC_SHA256)).isEqualTo("hmac-sha256");
    }

    @ParameterizedTest
    @EnumSource(value = SignatureScheme.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void everySigningSchemeNeedsASecret(SignatureScheme scheme) {
        String name = SignatureVerifiers.name(scheme);
        for (String secret : new String[]{null, "", "   "}) {
            assertThatThrownBy(() -> SignatureVerifiers.create(scheme, secret, "X-Signature", null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("webhook signature " + name + " needs a secret; add secret: {env: …}");
        }
    }

    @Test
    void hmacSha256NeedsItsHeader() {
        assertThatThrownBy(() -> SignatureVerifiers.create(SignatureScheme.HMAC_SHA256, SECRET, " ", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("webhook signature hmac-sha256 needs the header that carries the signature; add header: X-Signature");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -5})
    void toleranceMustBePositive(int tolerance) {
        assertThatThrownBy(() -> SignatureVerifiers.create(SignatureScheme.STRIPE, SECRET, null, tolerance))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("webhook signature stripe: toleranceSeconds must be positive, was " + tolerance);
    }

    @Test
    void providersFixTheirHeader() {
        assertThatThrownBy(() -> SignatureVerifiers.create(SignatureScheme.GITHUB, SECRET, "X-Hub-Signature", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("webhook signature github always uses the X-Hub-Signature-256 header; remove header: X-Hub-Signature");
        assertThatThrownBy(() -> SignatureVerifiers.create(SignatureScheme.STRIPE, SECRET, "X-Signature", null))
                .hasMessageContaining("Stripe-Signature");
        assertThatThrownBy(() -> SignatureVerifiers.create(SignatureScheme.HUBSPOT_V3, SECRET, "X-HubSpot-Signature", null))
                .hasMessageContaining("X-HubSpot-Signature-v3");
        assertThatCode(() -> SignatureVerifiers.create(SignatureScheme.GITHUB, SECRET, "x-hub-signature-256", null))
                .doesNotThrowAnyException();
    }

    @Test
    void gitHubRefusesAToleranceItCannotApply() {
        assertThatThrownBy(() -> SignatureVerifiers.create(SignatureScheme.GITHUB, SECRET, null, 300))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("github carries no timestamp")
                .hasMessageContaining("X-GitHub-Delivery");
    }

    @Test
    void defaultToleranceIsFiveMinutesForStripeAndHubSpot() {
        long t = 1_700_000_000L;
        SignatureVerifier stripe = SignatureVerifiers.create(SignatureScheme.STRIPE, SECRET, null, null);
        SignedRequest stripeRequest = TestSigning.post("https://x.example/s", "{}",
                "Stripe-Signature", "t=" + t + ",v1=" + TestSigning.hmacHex(SECRET, t + ".{}"));
        SignatureVerifier hubspot = SignatureVerifiers.create(SignatureScheme.HUBSPOT_V3, SECRET, null, null);
        long ms = t * 1000;
        SignedRequest hubspotRequest = TestSigning.post("https://x.example/h", "{}",
                "X-HubSpot-Signature-v3", TestSigning.hmacBase64(SECRET, "POSThttps://x.example/h{}" + ms),
                "X-HubSpot-Request-Timestamp", String.valueOf(ms));

        assertThatCode(() -> stripe.verify(stripeRequest, Instant.ofEpochSecond(t + 300))).doesNotThrowAnyException();
        assertThatThrownBy(() -> stripe.verify(stripeRequest, Instant.ofEpochSecond(t + 301)))
                .isInstanceOf(SignatureRejectedException.class);
        assertThatCode(() -> hubspot.verify(hubspotRequest, Instant.ofEpochSecond(t + 300))).doesNotThrowAnyException();
        assertThatThrownBy(() -> hubspot.verify(hubspotRequest, Instant.ofEpochSecond(t + 301)))
                .isInstanceOf(SignatureRejectedException.class);
    }

    @Test
    void verifiersAreSafeToShareBetweenThreads() throws Exception {
        SignatureVerifier github = SignatureVerifiers.create(SignatureScheme.GITHUB, SECRET, null, null);
        Callable<Boolean> verifyOwnBody = () -> {
            String body = "{\"thread\":\"" + Thread.currentThread().getName() + "\"}";
            github.verify(TestSigning.post("https://x.example/g", body,
                    "X-Hub-Signature-256", "sha256=" + TestSigning.hmacHex(SECRET, body)), Instant.EPOCH);
            return true;
        };
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (Future<Boolean> result : pool.invokeAll(Collections.nCopies(200, verifyOwnBody))) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
