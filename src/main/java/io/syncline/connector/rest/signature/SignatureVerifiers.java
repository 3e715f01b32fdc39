package io.syncline.connector.rest.signature;

import io.syncline.connector.rest.RestSettings;
import io.syncline.connector.rest.RestSettings.SignatureEncoding;
import io.syncline.connector.rest.RestSettings.SignatureScheme;
import io.syncline.webhook.signature.SignatureVerifier;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Builds the {@link SignatureVerifier} for a system's {@code webhook} settings, at start-up.
 * Settings that cannot work, or that would be silently ignored, fail here with an
 * {@link IllegalArgumentException} naming the scheme and the setting, never the secret.
 */
public final class SignatureVerifiers {

    /** How far a signed timestamp of {@code hmac} may be from now when the model does not say. */
    static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(300);

    private SignatureVerifiers() {
    }

    /** The same as {@link #create(SignatureScheme, String, String, Integer)}, by YAML name, e.g. {@code hubspot-v3}. */
    public static SignatureVerifier create(String scheme, String secret, String header, Integer toleranceSeconds) {
        return create(scheme(scheme), secret, header, toleranceSeconds);
    }

    /**
     * The verifier of a system's {@code webhook} settings.
     *
     * @param secret the signing secret, already resolved from the environment
     */
    public static SignatureVerifier create(RestSettings.Webhook webhook, String secret) {
        if (webhook.signature() != SignatureScheme.HMAC) {
            rejectHmacSettings(webhook);
            return create(webhook.signature(), secret, webhook.header(), webhook.toleranceSeconds());
        }
        requireSecret("hmac", secret);
        requireHeader("hmac", webhook.header());
        Integer toleranceSeconds = webhook.toleranceSeconds();
        requirePositive("hmac", toleranceSeconds);
        RestSettings.SignedTimestamp signed = webhook.timestamp();
        GenericHmacSignatureVerifier.SignedTimestamp timestamp = null;
        if (signed != null) {
            if (signed.header() == null || signed.header().isBlank() || signed.format() == null) {
                throw new IllegalArgumentException("webhook signature hmac: a signed timestamp needs its header and format");
            }
            timestamp = new GenericHmacSignatureVerifier.SignedTimestamp(signed.header().strip(), signed.format(),
                    signed.separator() == null ? "" : signed.separator(), seconds(toleranceSeconds, DEFAULT_TOLERANCE),
                    signed.position() == RestSettings.TimestampPosition.AFTER);
        } else if (toleranceSeconds != null) {
            throw new IllegalArgumentException("webhook signature hmac: toleranceSeconds needs a signed timestamp to check;"
                    + " add timestamp: {header: …, format: …} or remove it");
        }
        Hmac hmac = webhook.algorithm() == RestSettings.HmacAlgorithm.SHA1 ? Hmac.sha1(secret) : Hmac.sha256(secret);
        return new GenericHmacSignatureVerifier(hmac, webhook.header().strip(),
                webhook.encoding() == null ? SignatureEncoding.HEX : webhook.encoding(), webhook.prefix(), timestamp);
    }

    /**
     * @param secret           the signing secret, already resolved from the environment
     * @param header           the signature header; required for {@code hmac-sha256}, fixed by the
     *                         provider for the others (may be left out, or repeat the provider's name)
     * @param toleranceSeconds how far a signed timestamp may be from now; {@code hmac-sha256} then
     *                         requires one, {@code stripe} and {@code hubspot-v3} default to 300
     */
    public static SignatureVerifier create(SignatureScheme scheme, String secret, String header, Integer toleranceSeconds) {
        if (scheme == null) {
            throw new IllegalArgumentException("webhook signature scheme is missing; use one of " + names());
        }
        String name = name(scheme);
        if (scheme == SignatureScheme.NONE) {
            rejectIfSet(name, "secret", secret);
            rejectIfSet(name, "header", header);
            rejectIfSet(name, "toleranceSeconds", toleranceSeconds);
            return SignatureVerifier.ACCEPT_ALL;
        }
        requireSecret(name, secret);
        requirePositive(name, toleranceSeconds);
        switch (scheme) {
            case HMAC :
                return create(new RestSettings.Webhook(scheme, header, null, toleranceSeconds), secret);
            case HMAC_SHA256 :
                // hmac with what the scheme fixes: hex SHA-256, an optional sha256= prefix and, with a
                // tolerance, X-Signature-Timestamp in unix seconds signed as "timestamp.body"
                requireHeader(name, header);
                return new GenericHmacSignatureVerifier(Hmac.sha256(secret), header.strip(), SignatureEncoding.HEX,
                        "sha256=", toleranceSeconds == null ? null : new GenericHmacSignatureVerifier.SignedTimestamp(
                                GenericHmacSignatureVerifier.TIMESTAMP_HEADER, RestSettings.TimestampFormat.UNIX_SECONDS, ".",
                                Duration.ofSeconds(toleranceSeconds)));
            case STRIPE :
                requireProviderHeader(name, header, StripeSignatureVerifier.HEADER);
                return new StripeSignatureVerifier(secret,
                        seconds(toleranceSeconds, StripeSignatureVerifier.DEFAULT_TOLERANCE));
            case HUBSPOT_V3 :
                requireProviderHeader(name, header, HubSpotV3SignatureVerifier.SIGNATURE_HEADER);
                return new HubSpotV3SignatureVerifier(secret,
                        seconds(toleranceSeconds, HubSpotV3SignatureVerifier.DEFAULT_TOLERANCE));
            case BASIC :
                requireProviderHeader(name, header, BasicAuthVerifier.HEADER);
                if (toleranceSeconds != null) {
                    throw new IllegalArgumentException("webhook signature " + name + " carries no timestamp, so "
                            + "toleranceSeconds would do nothing; remove it");
                }
                return new BasicAuthVerifier(secret);
            case GITHUB :
                requireProviderHeader(name, header, GitHubSignatureVerifier.SIGNATURE_HEADER);
                if (toleranceSeconds != null) {
                    throw new IllegalArgumentException("webhook signature " + name + " carries no timestamp, so "
                            + "toleranceSeconds would do nothing; remove it (replays are caught by "
                            + GitHubSignatureVerifier.DELIVERY_HEADER + " dedupe)");
                }
                return new GitHubSignatureVerifier(secret);
            default :
                throw new IllegalArgumentException("webhook signature " + name + " has no verifier; use one of " + names());
        }
    }

    /** Parses a YAML scheme name ({@code hmac-sha256}) or enum constant name ({@code HMAC_SHA256}). */
    static SignatureScheme scheme(String name) {
        for (SignatureScheme scheme : SignatureScheme.values()) {
            if (name != null && (name(scheme).equalsIgnoreCase(name.strip()) || scheme.name().equalsIgnoreCase(name.strip()))) {
                return scheme;
            }
        }
        throw new IllegalArgumentException(name == null
                ? "webhook signature scheme is missing; use one of " + names()
                : "unknown webhook signature scheme '" + name + "'; use one of " + names());
    }

    /** The name an integrator writes in YAML; matches the {@code @JsonProperty} values. */
    static String name(SignatureScheme scheme) {
        return scheme.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String names() {
        return Arrays.stream(SignatureScheme.values()).map(SignatureVerifiers::name).collect(Collectors.joining(", "));
    }

    private static void requireSecret(String name, String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("webhook signature " + name + " needs a secret; add secret: {env: …}");
        }
    }

    private static void requireHeader(String name, String header) {
        if (header == null || header.isBlank()) {
            throw new IllegalArgumentException("webhook signature " + name
                    + " needs the header that carries the signature; add header: X-Signature");
        }
    }

    private static void requirePositive(String name, Integer toleranceSeconds) {
        if (toleranceSeconds != null && toleranceSeconds <= 0) {
            throw new IllegalArgumentException("webhook signature " + name + ": toleranceSeconds must be positive, was "
                    + toleranceSeconds);
        }
    }

    /** Settings of the hmac scheme that another scheme would silently ignore. */
    private static void rejectHmacSettings(RestSettings.Webhook webhook) {
        if (webhook.algorithm() != null || webhook.encoding() != null || webhook.prefix() != null
                || webhook.timestamp() != null) {
            throw new IllegalArgumentException("webhook signature " + (webhook.signature() == null ? "none"
                    : name(webhook.signature())) + " fixes its algorithm, encoding, prefix and timestamp;"
                    + " remove them or write signature: hmac");
        }
    }

    private static Duration seconds(Integer toleranceSeconds, Duration fallback) {
        return toleranceSeconds == null ? fallback : Duration.ofSeconds(toleranceSeconds);
    }

    /** The provider fixes its header; a different one configured would be silently ignored. */
    private static void requireProviderHeader(String name, String header, String providerHeader) {
        if (header != null && !header.strip().equalsIgnoreCase(providerHeader)) {
            throw new IllegalArgumentException("webhook signature " + name + " always uses the " + providerHeader
                    + " header; remove header: " + header.strip());
        }
    }

    private static void rejectIfSet(String name, String setting, Object value) {
        if (value != null) {
            // Says which setting, never its value: it may be the secret.
            throw new IllegalArgumentException("webhook signature " + name + " verifies nothing, so " + setting
                    + " would do nothing; remove it or choose a signing scheme");
        }
    }
}
