package io.syncline.connector.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.failure.TargetRejectedException;
import io.syncline.failure.TargetUnavailableException;
import io.syncline.model.Environment;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens of the OAuth 2.0 client-credentials grant (RFC 6749 §4.4), and of a long-lived refresh
 * token that the provider does not rotate (§6; {@code oauth2-refresh-token}, Login with Amazon's). A
 * token is fetched from the system's {@code tokenUrl}, the client's id and secret as HTTP Basic
 * credentials for client credentials, and for a refresh token in the form (Login with Amazon takes only
 * the form) or, with {@code clientAuth: basic}, as HTTP Basic credentials (eBay's; both of §2.3.1), kept
 * until shortly before {@code expires_in} runs out, and shared by every request to systems with the same
 * auth settings. A 401 from the API invalidates it once. Used by the HTTP target's writes and by
 * reconciliation's REST pulls.
 */
public final class OAuth2TokenProvider {

    /** Refresh this long before expiry, or a tenth of the token's lifetime when that is shorter. */
    static final Duration EXPIRY_MARGIN = Duration.ofSeconds(30);

    private final HttpClient http;
    private final Duration requestTimeout;
    private final Environment environment;
    private final HttpFailureClassifier classifier;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<RestSettings.Auth, Slot> slots = new ConcurrentHashMap<>();

    public OAuth2TokenProvider(HttpClient http, Duration requestTimeout, Environment environment, ObjectMapper json, Clock clock) {
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.environment = environment;
        this.classifier = new HttpFailureClassifier(json);
        this.json = json;
        this.clock = clock;
    }

    /**
     * A valid access token, fetched when there is none or it is about to expire.
     *
     * @throws TargetRejectedException the token endpoint refused the client
     * @throws TargetUnavailableException the token endpoint could not be reached or failed for now
     */
    public String token(String system, RestSettings.Auth auth) {
        return slots.computeIfAbsent(auth, key -> new Slot()).token(() -> fetch(system, auth));
    }

    /** The API refused {@code rejected}: the next {@link #token} fetches a new one, unless another caller already did. */
    public void invalidate(RestSettings.Auth auth, String rejected) {
        Slot slot = slots.get(auth);
        if (slot != null) {
            slot.invalidate(rejected);
        }
    }

    private Token fetch(String system, RestSettings.Auth auth) {
        boolean refresh = auth.type() == RestSettings.AuthType.OAUTH2_REFRESH_TOKEN;
        String request = "POST " + auth.tokenUrl() + (refresh ? " (refresh token)" : " (client-credentials token)");
        String scope = auth.scope() == null ? "" : "&scope=" + form(auth.scope());
        String refreshGrant = refresh ? "grant_type=refresh_token&refresh_token=" + form(auth.refreshToken().resolve(environment))
                + scope : null;
        HttpRequest post = !refresh ? tokenRequest(auth, environment, requestTimeout, "grant_type=client_credentials" + scope)
                : auth.clientAuth() == RestSettings.ClientAuth.BASIC ? tokenRequest(auth, environment, requestTimeout, refreshGrant)
                : formTokenRequest(auth, environment, requestTimeout, refreshGrant);
        HttpResponse<String> response = HttpTargetClient.send(http, system, request, post);
        Instant now = clock.instant();
        if (response.statusCode() / 100 != 2) {
            throw classifier.classify(system, request, response, now);
        }
        JsonNode answer;
        try {
            answer = json.readTree(response.body());
        } catch (IOException e) {
            answer = null;
        }
        JsonNode accessToken = answer == null ? null : answer.get("access_token");
        if (accessToken == null || !accessToken.isTextual() || accessToken.asText().isBlank()) {
            throw new TargetRejectedException(system, response.statusCode(), null,
                    system + "'s token endpoint answered " + request + " without an access_token");
        }
        JsonNode expiresIn = answer.get("expires_in");
        Instant refreshAt = Instant.MAX;
        if (expiresIn != null && expiresIn.canConvertToLong() && expiresIn.asLong() > 0) {
            Duration lifetime = Duration.ofSeconds(expiresIn.asLong());
            Duration margin = lifetime.dividedBy(10).compareTo(EXPIRY_MARGIN) < 0 ? lifetime.dividedBy(10) : EXPIRY_MARGIN;
            refreshAt = now.plus(lifetime).minus(margin);
        }
        return new Token(accessToken.asText(), refreshAt);
    }

    /**
     * A request to the token endpoint of {@code auth}: the client authenticated by HTTP Basic with
     * its form-encoded id and secret (RFC 6749, section 2.3.1), {@code body} the grant's form.
     */
    static HttpRequest tokenRequest(RestSettings.Auth auth, Environment environment, Duration timeout, String body) {
        String credentials = Base64.getEncoder().encodeToString((form(auth.clientId().resolve(environment)) + ":"
                + form(auth.clientSecret().resolve(environment))).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(auth.tokenUrl()))
                .timeout(timeout)
                .header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    /**
     * A request to the token endpoint of {@code auth}: the client authenticated by its id and secret in the
     * form (RFC 6749, section 2.3.1, as Login with Amazon takes them) after the grant's {@code body}.
     */
    static HttpRequest formTokenRequest(RestSettings.Auth auth, Environment environment, Duration timeout, String body) {
        return HttpRequest.newBuilder(URI.create(auth.tokenUrl()))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body + "&client_id=" + form(auth.clientId().resolve(environment))
                        + "&client_secret=" + form(auth.clientSecret().resolve(environment))))
                .build();
    }

    /** A value in an {@code application/x-www-form-urlencoded} body. */
    static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private record Token(String value, Instant refreshAt) {

        @Override
        public String toString() {
            return "Token[hidden, refreshAt=" + refreshAt + "]";
        }
    }

    /** One auth setting's token; fetching under the lock, so that concurrent callers fetch once. */
    private final class Slot {

        private Token token;

        synchronized String token(java.util.function.Supplier<Token> fetch) {
            if (token == null || !clock.instant().isBefore(token.refreshAt())) {
                token = fetch.get();
            }
            return token.value();
        }

        synchronized void invalidate(String rejected) {
            if (token != null && token.value().equals(rejected)) {
                token = null;
            }
        }
    }
}
