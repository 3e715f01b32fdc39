package io.syncline.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.model.Environment;
import io.syncline.model.SalesforceSystem;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions with Salesforce orgs: an access token and the org's instance URL, from the OAuth 2.0
 * token endpoint at {@code {loginUrl}/services/oauth2/token}, by the system's flow: client credentials,
 * refresh token or username-password (the JWT bearer flow is left to the component that writes).
 * Salesforce answers no
 * {@code expires_in}: a session lasts until the API refuses it ({@code 401 INVALID_SESSION_ID}),
 * and then {@link #invalidate} makes the next {@link #session} log in again. One session per
 * system settings, shared by every caller.
 */
public final class SalesforceSessions {

    private static final String TOKEN_PATH = "/services/oauth2/token";

    private final HttpClient http;
    private final Duration requestTimeout;
    private final Environment environment;
    private final ObjectMapper json;
    private final Map<SalesforceSystem, Slot> slots = new ConcurrentHashMap<>();

    private final SalesforceCallGate gate;

    public SalesforceSessions(HttpClient http, Duration requestTimeout, Environment environment, ObjectMapper json) {
        this(http, requestTimeout, environment, json, SalesforceCallGate.OPEN);
    }

    /** Sessions whose logins are each reserved at {@code gate} first. */
    public SalesforceSessions(HttpClient http, Duration requestTimeout, Environment environment, ObjectMapper json,
                              SalesforceCallGate gate) {
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.environment = environment;
        this.json = json;
        this.gate = gate;
    }

    /** Where this replica's calls to an org are reserved. */
    public SalesforceCallGate gate() {
        return gate;
    }

    /** An access token and where to use it: the org's instance, not the login host. */
    public record Session(String accessToken, URI instanceUrl) {
        @Override
        public String toString() {
            return "Session[token hidden, instanceUrl=" + instanceUrl + "]";
        }
    }

    /**
     * The system's session, logging in when there is none.
     *
     * @throws SalesforceLoginException the token endpoint refused the client or could not be reached
     * @throws SalesforceBudgetSpentException the login would pass the org's daily call budget
     */
    public Session session(String name, SalesforceSystem system) {
        return slots.computeIfAbsent(system, key -> new Slot()).session(() -> login(name, system));
    }

    /** The API refused {@code rejected}: the next {@link #session} logs in again, unless another caller already did. */
    public void invalidate(SalesforceSystem system, Session rejected) {
        Slot slot = slots.get(system);
        if (slot != null) {
            slot.invalidate(rejected);
        }
    }

    private Session login(String name, SalesforceSystem system) {
        String tokenUrl = system.loginUrl().replaceAll("/+$", "") + TOKEN_PATH;
        SalesforceSystem.Auth auth = system.authOrDefault();
        if (auth == SalesforceSystem.Auth.JWT_BEARER) {
            throw new SalesforceLoginException(name + ": reconciliation pulls log in by the client credentials, refresh token"
                    + " or username-password flow; the JWT bearer flow serves writes only", null);
        }
        String grant = switch (auth) {
            case REFRESH_TOKEN -> "refresh_token";
            case USERNAME_PASSWORD -> "password";
            default -> "client_credentials";
        };
        StringBuilder form = new StringBuilder("grant_type=").append(grant)
                .append("&client_id=").append(encode(system.clientId().resolve(environment)))
                .append("&client_secret=").append(encode(system.clientSecret().resolve(environment)));
        if (auth == SalesforceSystem.Auth.REFRESH_TOKEN) {
            form.append("&refresh_token=").append(encode(system.refreshToken().resolve(environment)));
        } else if (auth == SalesforceSystem.Auth.USERNAME_PASSWORD) {
            form.append("&username=").append(encode(system.username().resolve(environment)))
                    .append("&password=").append(encode(system.password().resolve(environment)));
        }
        HttpRequest post = HttpRequest.newBuilder(URI.create(tokenUrl)).timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
        String flow = grant.replace('_', ' ');
        HttpResponse<String> response;
        gate.reserve(name, system, "login");
        try {
            response = http.send(post, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            gate.answered(name, "unreachable: " + e.getMessage());
            throw new SalesforceLoginException(name + ": login at " + tokenUrl + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SalesforceLoginException(name + ": login at " + tokenUrl + " interrupted", e);
        }
        JsonNode answer = parse(response.body());
        gate.answered(name, response.statusCode() / 100 == 2 ? null : "login refused (HTTP " + response.statusCode() + ")");
        if (response.statusCode() / 100 != 2) {
            // {"error":"invalid_grant","error_description":"expired access/refresh token"}
            throw new SalesforceLoginException(name + ": Salesforce refused the " + flow + " login (HTTP "
                    + response.statusCode() + "): " + text(answer, "error") + ": " + text(answer, "error_description"), null);
        }
        String token = text(answer, "access_token");
        String instance = text(answer, "instance_url");
        if (token == null || instance == null) {
            throw new SalesforceLoginException(name + ": Salesforce's " + flow + " login answered without "
                    + (token == null ? "an access_token" : "an instance_url"), null);
        }
        return new Session(token, URI.create(instance.replaceAll("/+$", "")));
    }

    private JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode answer, String field) {
        JsonNode value = answer == null ? null : answer.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** One system's session; logging in under the lock, so that concurrent callers log in once. */
    private static final class Slot {

        private Session session;

        synchronized Session session(java.util.function.Supplier<Session> login) {
            if (session == null) {
                session = login.get();
            }
            return session;
        }

        synchronized void invalidate(Session rejected) {
            if (rejected.equals(session)) {
                session = null;
            }
        }
    }
}
