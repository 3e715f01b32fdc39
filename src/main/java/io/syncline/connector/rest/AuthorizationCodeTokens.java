package io.syncline.connector.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.failure.ConsentNeededException;
import io.syncline.failure.TargetRejectedException;
import io.syncline.failure.TargetUnavailableException;
import io.syncline.model.Environment;
import io.syncline.store.TokenCipher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static io.syncline.connector.rest.OAuth2TokenProvider.form;

/**
 * Access tokens of the OAuth 2.0 authorization-code grant (RFC 6749 §4.1) with refresh tokens
 * (§6) that the provider rotates at each use, as QuickBooks Online and Xero do: the refresh token
 * in use lives in the state store ({@link OAuthGrantRepository}), sealed with {@link TokenCipher},
 * so that it survives restarts and is shared by all replicas.
 *
 * <p>A replica refreshes only under the grant's row lock and first looks at what the row holds
 * then: when another replica refreshed meanwhile, it takes that access token instead of spending
 * the refresh token (already spent) once more. Access tokens are kept in memory until shortly before
 * they expire. A provider that answers {@code invalid_grant} marks the grant as needing consent;
 * calls then fail at once with {@link ConsentNeededException} until an operator gives it again.
 *
 * <p>The first refresh token comes from the consent ({@link #authorizationUri}, then
 * {@link #completeConsent} with the callback's code), from {@link #store} or, while the store has
 * none, from the system's {@code auth.refreshToken} variable.
 */
public final class AuthorizationCodeTokens {

    /** How long a consent's {@code state} stays valid. */
    static final Duration CONSENT_VALIDITY = Duration.ofMinutes(15);

    private final HttpClient http;
    private final Duration requestTimeout;
    private final Environment environment;
    private final ObjectMapper json;
    private final Clock clock;
    private final OAuthGrantRepository grants;
    private final java.util.function.Supplier<TokenCipher> cipherSource;
    private volatile TokenCipher cipher;
    private final HttpFailureClassifier classifier;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Access> cache = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public AuthorizationCodeTokens(HttpClient http, Duration requestTimeout, Environment environment, ObjectMapper json,
            Clock clock, OAuthGrantRepository grants, java.util.function.Supplier<TokenCipher> cipher) {
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.environment = environment;
        this.json = json;
        this.clock = clock;
        this.grants = grants;
        this.cipherSource = cipher;
        this.classifier = new HttpFailureClassifier(json);
    }

    /**
     * A valid access token of {@code system}: the one in memory, the one another replica stored, or
     * a new one for the stored refresh token.
     *
     * @throws ConsentNeededException there is no usable grant
     * @throws TargetUnavailableException the token endpoint or the state store could not be reached
     * @throws TargetRejectedException the token endpoint refused the client (its id or secret)
     */
    public String token(String system, RestSettings.Auth auth) {
        Access cached = cache.get(system);
        if (cached != null && cached.usable(clock.instant())) {
            return cached.value();
        }
        synchronized (locks.computeIfAbsent(system, name -> new Object())) {
            cached = cache.get(system);
            if (cached != null && cached.usable(clock.instant())) {
                return cached.value();
            }
            String rejected = cached == null ? null : cached.rejected();
            try {
                Optional<OAuthGrantRepository.Grant> stored = grants.find(system);
                if (stored.isPresent()) {
                    Access access = access(system, stored.get(), rejected);
                    if (access != null) {
                        cache.put(system, access);
                        return access.value();
                    }
                    if (stored.get().consentNeeded() != null) {
                        throw new ConsentNeededException(system, stored.get().consentNeeded());
                    }
                }
                OAuthGrantRepository.Grant refreshed = grants.refresh(system, requestTimeout.plusSeconds(5),
                        locked -> refreshUnderLock(system, auth, locked, rejected));
                if (refreshed.consentNeeded() != null) {
                    throw new ConsentNeededException(system, refreshed.consentNeeded());
                }
                Access access = access(system, refreshed, rejected);
                if (access == null && refreshed.refreshToken() == null) {
                    throw new ConsentNeededException(system, "no refresh token yet");
                }
                if (access == null) {
                    throw new TargetUnavailableException(system, null, null, system
                            + ": the token endpoint gave no access token that is still valid", null);
                }
                cache.put(system, access);
                return access.value();
            } catch (SQLException e) {
                throw new TargetUnavailableException(system, null, null, system
                        + ": the OAuth grant could not be read or stored in the state store: " + e.getMessage(), e);
            }
        }
    }

    /** The API refused {@code rejected}: the next {@link #token} gets a new one, unless another caller already did. */
    public void invalidate(String system, String rejected) {
        cache.computeIfPresent(system, (name, access) -> access.value().equals(rejected)
                ? new Access(access.value(), Instant.MIN, rejected) : access);
    }

    /** Why {@code system} needs consent, or empty when its grant is usable (or the store cannot say now). */
    public Optional<String> consentNeeded(String system) {
        try {
            Optional<OAuthGrantRepository.Grant> grant = grants.find(system);
            if (grant.isEmpty() || grant.get().refreshToken() == null) {
                return Optional.of("no refresh token yet");
            }
            return Optional.ofNullable(grant.get().consentNeeded());
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /**
     * The provider's consent page for {@code system} (§4.1.1), with a new {@code state} that the
     * callback must bring back within {@link #CONSENT_VALIDITY}.
     */
    public URI authorizationUri(String system, RestSettings.Auth auth, URI redirectUri) throws SQLException {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String state = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        grants.startConsent(system, digest(state));
        String base = auth.authorizationUrl();
        StringBuilder uri = new StringBuilder(base).append(base.contains("?") ? '&' : '?')
                .append("response_type=code&client_id=").append(form(auth.clientId().resolve(environment)))
                .append("&redirect_uri=").append(form(redirectUri.toString()));
        if (auth.scope() != null) {
            uri.append("&scope=").append(form(auth.scope()));
        }
        uri.append("&state=").append(form(state));
        return URI.create(uri.toString());
    }

    /**
     * Completes a consent (§4.1.3): the callback's {@code code} exchanged for tokens, stored as the
     * system's grant.
     *
     * @return false when {@code state} is not the one of a consent under way (unknown, used, or too old)
     */
    public boolean completeConsent(String system, RestSettings.Auth auth, String state, String code, URI redirectUri)
            throws SQLException {
        if (state == null || code == null || !grants.takeConsent(system, digest(state), clock.instant().minus(CONSENT_VALIDITY))) {
            return false;
        }
        TokenAnswer answer = post(system, auth, "grant_type=authorization_code&code=" + form(code) + "&redirect_uri="
                + form(redirectUri.toString()), "authorization code");
        if (answer.invalidGrant() != null) {
            throw new TargetRejectedException(system, 400, null, system + "'s token endpoint refused the authorization code: "
                    + answer.invalidGrant());
        }
        if (answer.refreshToken() == null) {
            throw new TargetRejectedException(system, 200, null, system + "'s token endpoint answered the authorization code"
                    + " without a refresh_token: ask for offline access in auth.scope (e.g. offline_access)");
        }
        store(system, answer.refreshToken(), answer.accessToken(), answer.expiresAt());
        return true;
    }

    /** Stores a refresh token an operator obtained elsewhere (and optionally its access token): the grant starts over. */
    public void store(String system, String refreshToken, String accessToken, Instant accessExpiresAt) throws SQLException {
        grants.grant(system, cipher().seal(refreshToken, context(system, "refresh_token")),
                accessToken == null ? null : cipher().seal(accessToken, context(system, "access_token")), accessExpiresAt);
        cache.remove(system);
    }

    private OAuthGrantRepository.Outcome refreshUnderLock(String system, RestSettings.Auth auth, OAuthGrantRepository.Grant locked,
            String rejected) {
        if (access(system, locked, rejected) != null) {
            return new OAuthGrantRepository.Unchanged();
        }
        if (locked.consentNeeded() != null) {
            return new OAuthGrantRepository.Unchanged();
        }
        String refreshToken;
        if (locked.refreshToken() != null) {
            refreshToken = cipher().open(locked.refreshToken(), context(system, "refresh_token"));
        } else if (auth.refreshToken() != null && auth.refreshToken().resolve(environment) != null) {
            // the operator's first refresh token, from the environment: used only while the store has none
            refreshToken = auth.refreshToken().resolve(environment);
        } else {
            return new OAuthGrantRepository.Unchanged();
        }
        TokenAnswer answer = post(system, auth, "grant_type=refresh_token&refresh_token=" + form(refreshToken), "refresh token");
        if (answer.invalidGrant() != null) {
            return new OAuthGrantRepository.ConsentNeeded("the provider refused the refresh token: " + answer.invalidGrant());
        }
        return new OAuthGrantRepository.Refreshed(
                cipher().seal(answer.refreshToken() == null ? refreshToken : answer.refreshToken(), context(system, "refresh_token")),
                cipher().seal(answer.accessToken(), context(system, "access_token")), answer.expiresAt());
    }

    /** The stored access token when it is usable now and not the one the API refused; else null. */
    private Access access(String system, OAuthGrantRepository.Grant grant, String rejected) {
        if (grant.accessToken() == null || grant.consentNeeded() != null) {
            return null;
        }
        Access access = new Access(cipher().open(grant.accessToken(), context(system, "access_token")), refreshAt(grant), null);
        return access.usable(clock.instant()) && !access.value().equals(rejected) ? access : null;
    }

    private Instant refreshAt(OAuthGrantRepository.Grant grant) {
        return grant.accessExpiresAt() == null ? Instant.MAX : grant.accessExpiresAt();
    }

    private TokenAnswer post(String system, RestSettings.Auth auth, String body, String what) {
        String request = "POST " + auth.tokenUrl() + " (" + what + ")";
        HttpRequest post = OAuth2TokenProvider.tokenRequest(auth, environment, requestTimeout, body);
        HttpResponse<String> response = HttpTargetClient.send(http, system, request, post);
        Instant now = clock.instant();
        JsonNode answer;
        try {
            answer = json.readTree(response.body());
        } catch (IOException e) {
            answer = null;
        }
        if (response.statusCode() / 100 != 2) {
            JsonNode error = answer == null ? null : answer.get("error");
            if (error != null && "invalid_grant".equals(error.asText())) {
                JsonNode description = answer.get("error_description");
                return TokenAnswer.invalid(description == null ? "invalid_grant" : "invalid_grant, " + description.asText());
            }
            throw classifier.classify(system, request, response, now);
        }
        JsonNode accessToken = answer == null ? null : answer.get("access_token");
        if (accessToken == null || !accessToken.isTextual() || accessToken.asText().isBlank()) {
            throw new TargetRejectedException(system, response.statusCode(), null,
                    system + "'s token endpoint answered " + request + " without an access_token");
        }
        JsonNode refreshToken = answer.get("refresh_token");
        return new TokenAnswer(accessToken.asText(), refreshToken != null && refreshToken.isTextual() ? refreshToken.asText() : null,
                expiresAt(answer.get("expires_in"), now), null);
    }

    /** When to stop using a token that lives {@code expires_in}: shortly before that, as the client-credentials grant does. */
    private static Instant expiresAt(JsonNode expiresIn, Instant now) {
        if (expiresIn == null || !expiresIn.canConvertToLong() || expiresIn.asLong() <= 0) {
            return null;
        }
        Duration lifetime = Duration.ofSeconds(expiresIn.asLong());
        Duration margin = lifetime.dividedBy(10).compareTo(OAuth2TokenProvider.EXPIRY_MARGIN) < 0
                ? lifetime.dividedBy(10) : OAuth2TokenProvider.EXPIRY_MARGIN;
        return now.plus(lifetime).minus(margin);
    }

    /** The key is read at first use: the model's validation has already refused a start without it. */
    private TokenCipher cipher() {
        TokenCipher current = cipher;
        if (current == null) {
            current = cipherSource.get();
            cipher = current;
        }
        return current;
    }

    private static String context(String system, String column) {
        return "oauth_grant/" + system + "/" + column;
    }

    private static String digest(String state) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(state.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record TokenAnswer(String accessToken, String refreshToken, Instant expiresAt, String invalidGrant) {

        static TokenAnswer invalid(String reason) {
            return new TokenAnswer(null, null, null, reason);
        }

        @Override
        public String toString() {
            return "TokenAnswer[hidden, expiresAt=" + expiresAt + "]";
        }
    }

    /** An access token in memory: used until {@code refreshAt}; {@code rejected} is one the API refused. */
    private record Access(String value, Instant refreshAt, String rejected) {

        boolean usable(Instant now) {
            return now.isBefore(refreshAt);
        }

        @Override
        public String toString() {
            return "Access[hidden, refreshAt=" + refreshAt + "]";
        }
    }
}
