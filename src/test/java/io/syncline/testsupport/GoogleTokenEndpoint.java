package io.syncline.testsupport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Google's OAuth 2.0 token endpoint for service accounts, as the stubs of Google's APIs serve it: the JWT
 * bearer grant ({@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer}, {@code assertion}), the
 * assertion an RS256 JWT signed with the private key of the service account key made here
 * ({@link #serviceAccountKey}), issued by its e-mail for the token URI ({@code aud}), asking for the scope
 * the API needs, acting as the user a domain-wide delegation names ({@code sub}) where the API wants one,
 * valid at most an hour; else 400 {@code invalid_grant} (Google's {@code unauthorized_client} for a scope or
 * subject the delegation does not grant). Tokens issued may be revoked ({@link #revoke}).
 */
final class GoogleTokenEndpoint {

    static final String CLIENT_EMAIL = "syncline@syncline-test.iam.gserviceaccount.com";
    static final String GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHORT_LIVED = "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.";

    private final KeyPair keys;
    private final String scope;
    private final String subject;
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger issued = new AtomicInteger();

    /**
     * @param scope   the scope an assertion must ask for
     * @param subject the user an assertion must act as; null where it must name none
     */
    GoogleTokenEndpoint(String scope, String subject) {
        this.scope = scope;
        this.subject = subject;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The service account's JSON key, as Google's console downloads it, its {@code token_uri} {@code tokenUri}. */
    String serviceAccountKey(String tokenUri) {
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("type", "service_account");
        key.put("project_id", "syncline-test");
        key.put("private_key_id", "3f1c0ffee0ddba11");
        key.put("private_key", pem);
        key.put("client_email", CLIENT_EMAIL);
        key.put("client_id", "104857600000000000001");
        key.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
        key.put("token_uri", tokenUri);
        try {
            return JSON.writeValueAsString(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The answer to a token request's form at {@code tokenUri}: its status and its body, an access token or
     * Google's {@code {"error", "error_description"}}.
     */
    Answer answer(String tokenUri, Map<String, String> form) {
        String refused = refusal(tokenUri, form);
        if (refused != null) {
            return new Answer(400, Map.of("error", refused.startsWith("Client is unauthorized") ? "unauthorized_client" : "invalid_grant",
                    "error_description", refused));
        }
        String token = "ya29.stub-" + issued.incrementAndGet();
        tokens.add(token);
        return new Answer(200, Map.of("access_token", token, "expires_in", 3599, "token_type", "Bearer"));
    }

    /** A token endpoint's answer. */
    record Answer(int status, Map<String, Object> body) {
    }

    /** Whether {@code authorization} carries a token issued here and not revoked. */
    boolean accepts(String authorization) {
        return authorization != null && authorization.startsWith("Bearer ") && tokens.contains(authorization.substring(7));
    }

    /** Every access token issued so far stops working. */
    void revoke() {
        tokens.clear();
    }

    /** How many access tokens were issued. */
    int issued() {
        return issued.get();
    }

    /** Why the JWT bearer grant is refused; null when it is good. */
    private String refusal(String tokenUri, Map<String, String> form) {
        if (!GRANT.equals(form.get("grant_type"))) {
            return "Invalid grant_type: " + form.get("grant_type");
        }
        String[] parts = form.getOrDefault("assertion", "").split("\\.");
        if (parts.length != 3) {
            return SHORT_LIVED;
        }
        try {
            Map<String, Object> header = JSON.readValue(Base64.getUrlDecoder().decode(parts[0]), new TypeReference<>() {
            });
            Map<String, Object> claims = JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), new TypeReference<>() {
            });
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(keys.getPublic());
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!"RS256".equals(header.get("alg")) || !rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return "Invalid JWT Signature.";
            }
            long now = Instant.now().getEpochSecond();
            long iat = ((Number) claims.get("iat")).longValue();
            long exp = ((Number) claims.get("exp")).longValue();
            if (!CLIENT_EMAIL.equals(claims.get("iss")) || !tokenUri.equals(claims.get("aud")) || exp - iat > 3600 || iat > now + 300
                    || exp < now) {
                return SHORT_LIVED + " Check your iat and exp values in the JWT claim.";
            }
            if (!java.util.List.of(String.valueOf(claims.get("scope")).split(" ")).contains(scope)
                    || subject != null && !subject.equals(claims.get("sub")) || subject == null && claims.get("sub") != null) {
                return "Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the"
                        + " scopes requested.";
            }
            return null;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return "Invalid JWT: " + e.getMessage();
        }
    }
}
