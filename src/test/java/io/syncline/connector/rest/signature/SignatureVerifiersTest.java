package io.syncline.connector.rest.signature;

import io.syncline.connector.rest.RestSettings.SignatureScheme;
import io.syncline.webhook.signature.SignatureRejectedException;
import io.syncline.webhook.signature.SignatureVerifier;
import io.syncline.webhook.signature.SignedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.Collections;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

    /** Signs a request whose body is {@code body} with a signature made over {@code signedBody}. */
    private interface Signer {

        SignedRequest sign(String body, String signedBody);
    }

    private static final long T = 1_700_000_000L;

    private static Signer signer(SignatureScheme scheme) {
        String uri = "https://x.example/h";
        return switch (scheme) {
            case HMAC_SHA256 -> (body, signed) -> TestSigning.post(uri, body, "X-Signature", TestSigning.hmacHex(SECRET, signed));
            case STRIPE -> (body, signed) -> TestSigning.post(uri, body,
                    "Stripe-Signature", "t=" + T + ",v1=" + TestSigning.hmacHex(SECRET, T + "." + signed));
            case HUBSPOT_V3 -> (body, signed) -> TestSigning.post(uri, body,
                    "X-HubSpot-Signature-v3", TestSigning.hmacBase64(SECRET, "POST" + uri + signed + T * 1000),
                    "X-HubSpot-Request-Timestamp", String.valueOf(T * 1000));
            case GITHUB -> (body, signed) -> TestSigning.post(uri, body,
                    "X-Hub-Signature-256", "sha256=" + TestSigning.hmacHex(SECRET, signed));
            default -> throw new IllegalArgumentException(scheme + " signs no body");
        };
    }

    /**
     * One verifier, eight threads started together, each verifying 400 requests of its own with
     * bodies of varying length: every genuine one must be accepted and every one signed over
     * another body rejected, whatever the other threads do meanwhile. A verifier that kept one
     * {@code Mac} for all calls would mix their bytes: genuine requests refused, or worse.
     */
    @ParameterizedTest
    @EnumSource(value = SignatureScheme.class, names = {"HMAC_SHA256", "STRIPE", "HUBSPOT_V3", "GITHUB"})
    void verifiersAreSafeToShareBetweenThreads(SignatureScheme scheme) throws Exception {
        SignatureVerifier verifier = SignatureVerifiers.create(scheme, SECRET,
                scheme == SignatureScheme.HMAC_SHA256 ? "X-Signature" : null, null);
        Signer signer = signer(scheme);
        int threads = 8;
        int perThread = 400;
        CyclicBarrier start = new CyclicBarrier(threads);
        Queue<String> mistakes = new ConcurrentLinkedQueue<>();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        Callable<Void> verifyOwnRequests = () -> {
            Random random = new Random(Thread.currentThread().getId());
            start.await(10, TimeUnit.SECONDS);
            for (int i = 0; i < perThread; i++) {
                String body = "{\"n\":" + i + ",\"pad\":\"" + "x".repeat(random.nextInt(4096)) + "\"}";
                boolean genuine = i % 2 == 0;
                SignedRequest request = signer.sign(body, genuine ? body : body + " ");
                try {
                    verifier.verify(request, Instant.ofEpochSecond(T));
                    accepted.incrementAndGet();
                    if (!genuine) {
                        mistakes.add("forged request " + i + " accepted");
                    }
                } catch (SignatureRejectedException e) {
                    rejected.incrementAndGet();
                    if (genuine) {
                        mistakes.add("genuine request " + i + " rejected: " + e.getMessage());
                    }
                } catch (RuntimeException e) {
                    mistakes.add("request " + i + ": " + e);
                }
            }
            return null;
        };
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (Future<Void> done : pool.invokeAll(Collections.nCopies(threads, verifyOwnRequests))) {
                done.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(mistakes).as("%s verified by %d threads at once", scheme, threads).isEmpty();
        assertThat(accepted).hasValue(threads * perThread / 2);
        assertThat(rejected).hasValue(threads * perThread / 2);
    }
}
