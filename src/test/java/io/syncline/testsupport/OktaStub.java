package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Okta org's users, Management API {@code /api/v1/users}, as Okta's published OpenAPI description
 * ({@code management-minimal.yaml}) and its reference pages describe them, in the test JVM (JDK HttpServer
 * on a free port). Every request is kept, for a test to check against that description ({@link ApiDescription}).
 * <ul>
 *   <li>Auth: {@code Authorization: SSWS <API token>}; anything else 401 with Okta's error
 *   {@code {"errorCode": "E0000011", "errorSummary": "Invalid token provided", "errorLink", "errorId",
 *   "errorCauses": []}}, the shape of every error here.</li>
 *   <li>{@code GET /api/v1/users?limit=…&after=…}: the users in id order as a JSON array, and
 *   {@code Link: <…>; rel="self"} with {@code <…?after=<last id>&limit=…>; rel="next"} while more follow;
 *   {@code limit} 200 unless asked.</li>
 *   <li>{@code POST /api/v1/users?activate=true|false} {@code {"profile": {…}}}: 200 with the user, whose
 *   {@code status} is {@code PROVISIONED} (activated without a password) or {@code STAGED}; a profile
 *   without {@code login}, {@code email}, {@code firstName} or {@code lastName}, or a login another user
 *   has, 400 {@code E0000001 Api validation failed: <field>} with the field's cause.</li>
 *   <li>{@code GET}, {@code POST} (partial: the profile's attributes sent change), {@code PUT} (the profile
 *   replaced) and {@code DELETE /api/v1/users/{id}}: a {@code DELETE} deactivates a user that is not
 *   {@code DEPROVISIONED}, and deletes one that is (204 both); 404 {@code E0000007} for a user the org has not.</li>
 *   <li>{@code POST /api/v1/users/{id}/lifecycle/deactivate}: the user {@code DEPROVISIONED}, kept; 200 with no body.</li>
 *   <li>Rate limits: while {@link #rateLimitNext} is set, 429 {@code E0000047} with
 *   {@code X-Rate-Limit-Limit}, {@code X-Rate-Limit-Remaining: 0} and {@code X-Rate-Limit-Reset} (Unix
 *   seconds), and no {@code Retry-After}, as Okta's rate-limit pages describe.</li>
 *   <li>Event hooks: {@link #event} writes a delivery as an event hook posts it; its credentials are the
 *   header the hook's {@code authScheme} names, which the test sets.</li>
 * </ul>
 */
public final class OktaStub extends LoopbackStub {

    public static final String USERS = "/api/v1/users";
    private static final Pattern ONE = Pattern.compile(USERS + "/([A-Za-z0-9]+)");
    private static final Pattern DEACTIVATE = Pattern.compile(USERS + "/([A-Za-z0-9]+)/lifecycle/deactivate");
    /** The description's default {@code limit}. */
    private static final int DEFAULT_PAGE = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String authorization;
    private final Map<String, Map<String, Object>> users = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong(1_000_000);

    private OktaStub(String token) {
        this.authorization = "SSWS " + token;
        serve(this::handle, USERS);
    }

    /** An org accepting the API token {@code token}. */
    public static OktaStub start(String token) {
        return new OktaStub(token);
    }

    /** Okta's error body: {@code {"errorCode", "errorSummary", "errorLink", "errorId", "errorCauses": [{"errorSummary"}]}}. */
    public static Map<String, Object> error(String code, String summary, List<String> causes) {
        return Map.of("errorCode", code, "errorSummary", summary, "errorLink", code, "errorId", "oae" + UUID.randomUUID()
                .toString().replace("-", "").substring(0, 22), "errorCauses", causes.stream().map(cause -> Map.of("errorSummary", cause))
                        .toList());
    }

    /**
     * A delivery of an event hook: {@code {"eventType": "com.okta.event_hook", "eventTypeVersion", "cloudEventsVersion",
     * "source", "eventId", "eventTime", "contentType", "data": {"events": [{"uuid", "published", "eventType",
     * "displayMessage", "actor", "target": [{"id", "type": "User", "alternateId", "displayName"}]}]}}} for each
     * user named, one event each, of {@code eventType} ({@code user.lifecycle.create}).
     */
    public String event(String eventType, List<Map<String, Object>> named) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (Map<String, Object> user : named) {
            Map<?, ?> profile = (Map<?, ?>) user.get("profile");
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("uuid", UUID.randomUUID().toString());
            event.put("published", Instant.now().toString());
            event.put("eventType", eventType);
            event.put("displayMessage", "Create Okta user");
            event.put("actor", Map.of("id", "00u1qw1mqitPHM8AJ0g7", "type", "User", "alternateId", "admin@example.com"));
            event.put("target", List.of(Map.of("id", user.get("id"), "type", "User", "alternateId", profile.get("login"),
                    "displayName", profile.get("firstName") + " " + profile.get("lastName"))));
            events.add(event);
        }
        Map<String, Object> delivery = new LinkedHashMap<>();
        delivery.put("eventType", "com.okta.event_hook");
        delivery.put("eventTypeVersion", "1.0");
        delivery.put("cloudEventsVersion", "0.1");
        delivery.put("source", baseUrl() + "/api/v1/eventHooks/whoql0HfiLGPWc8Jx0g3");
        delivery.put("eventId", UUID.randomUUID().toString());
        delivery.put("data", Map.of("events", events));
        delivery.put("eventTime", Instant.now().toString());
        delivery.put("contentType", "application/json");
        try {
            return JSON.writeValueAsString(delivery);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A user the org has already, with {@code profile}, {@code ACTIVE}; the user. */
    public Map<String, Object> add(Map<String, Object> profile) {
        return added(profile, "ACTIVE");
    }

    private Map<String, Object> added(Map<String, Object> profile, String status) {
        String id = "00u" + ids.incrementAndGet() + "stub";
        String now = Instant.now().toString();
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", id);
        user.put("status", status);
        user.put("created", now);
        user.put("activated", status.equals("ACTIVE") ? now : null);
        user.put("statusChanged", null);
        user.put("lastLogin", null);
        user.put("lastUpdated", now);
        user.put("passwordChanged", null);
        user.put("type", Map.of("id", "oty1qw1mqitPHM8AJ0g7"));
        user.put("profile", new LinkedHashMap<>(profile));
        user.put("credentials", Map.of("provider", Map.of("type", "OKTA", "name", "OKTA")));
        user.put("_links", Map.of("self", Map.of("href", baseUrl() + USERS + "/" + id)));
        users.put(id, user);
        return user;
    }

    /** The user {@code id}; null when the org has none. */
    public Map<String, Object> user(String id) {
        return users.get(id);
    }

    /** The profile of the user {@code id}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> profile(String id) {
        return (Map<String, Object>) users.get(id).get("profile");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            HubSpotStub.Received request = received.record(exchange);
            String method = request.method();
            String path = request.path();
            if (unauthorized(exchange, authorization, error("E0000011", "Invalid token provided", List.of()))) {
                return;
            }
            if (ahead.answered(exchange, method, path, error("E0000047", "API call exceeded rate limit due to too many requests.",
                    List.of()),
                    () -> Map.of("X-Rate-Limit-Limit", "600", "X-Rate-Limit-Remaining", "0",
                            "X-Rate-Limit-Reset", Long.toString(Instant.now().getEpochSecond() + 1)))) {
                return;
            }
            Map<String, String> query = StubHttp.form(exchange.getRequestURI().getRawQuery());
            Matcher one = ONE.matcher(path);
            Matcher deactivate = DEACTIVATE.matcher(path);
            if (deactivate.matches() && method.equals("POST") && users.containsKey(deactivate.group(1))) {
                Map<String, Object> user = users.get(deactivate.group(1));
                user.put("status", "DEPROVISIONED");
                user.put("statusChanged", Instant.now().toString());
                exchange.sendResponseHeaders(200, -1);
            } else if (path.equals(USERS) && method.equals("GET")) {
                list(exchange, query);
            } else if (path.equals(USERS) && method.equals("POST")) {
                create(exchange, profileOf(request.body()), !"false".equals(query.get("activate")));
            } else if (one.matches() && List.of("GET", "POST", "PUT", "DELETE").contains(method)) {
                Map<String, Object> user = users.get(one.group(1));
                if (user == null) {
                    StubHttp.sendJson(exchange, 404, error("E0000007", "Not found: Resource not found: " + one.group(1) + " (User)",
                            List.of()), Map.of());
                } else if (method.equals("DELETE")) {
                    if (user.get("status").equals("DEPROVISIONED")) {
                        users.remove(one.group(1));
                    } else {
                        user.put("status", "DEPROVISIONED");
                        user.put("statusChanged", Instant.now().toString());
                    }
                    exchange.sendResponseHeaders(204, -1);
                } else if (method.equals("GET")) {
                    StubHttp.sendJson(exchange, 200, user, Map.of());
                } else {
                    update(exchange, user, profileOf(request.body()), method.equals("PUT"));
                }
            } else {
                StubHttp.sendJson(exchange, 404, error("E0000022", "The endpoint does not support the provided HTTP method", List.of()),
                        Map.of());
            }
        }
    }

    /** The profile of a request's {@code {"profile": {…}}}; null where the body has none. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> profileOf(String body) throws IOException {
        Object profile = body == null || body.isBlank() ? null : JSON.readValue(body, Map.class).get("profile");
        return profile instanceof Map<?, ?> map ? new LinkedHashMap<>((Map<String, Object>) map) : null;
    }

    private void list(HttpExchange exchange, Map<String, String> query) throws IOException {
        int limit = Integer.parseInt(query.getOrDefault("limit", Integer.toString(DEFAULT_PAGE)));
        String after = query.get("after");
        List<Map<String, Object>> all = users.values().stream().filter(user -> after == null || ((String) user.get("id")).compareTo(after) > 0)
                .toList();
        List<Map<String, Object>> page = all.subList(0, Math.min(limit, all.size()));
        String self = baseUrl() + USERS + "?limit=" + limit + (after == null ? "" : "&after=" + after);
        String link = "<" + self + ">; rel=\"self\"";
        if (all.size() > page.size()) {
            link += ", <" + baseUrl() + USERS + "?after=" + page.get(page.size() - 1).get("id") + "&limit=" + limit + ">; rel=\"next\"";
        }
        StubHttp.sendJson(exchange, 200, page, Map.of("Link", link));
    }

    private synchronized void create(HttpExchange exchange, Map<String, Object> profile, boolean activate) throws IOException {
        if (profile == null) {
            StubHttp.sendJson(exchange, 400, error("E0000003", "The request body was not well-formed.", List.of()), Map.of());
            return;
        }
        for (String required : List.of("login", "email", "firstName", "lastName")) {
            if (profile.get(required) == null || String.valueOf(profile.get(required)).isBlank()) {
                StubHttp.sendJson(exchange, 400, error("E0000001", "Api validation failed: " + required, List.of(required
                        + ": The field cannot be left blank")), Map.of());
                return;
            }
        }
        boolean taken = users.values().stream().anyMatch(user -> String.valueOf(profile.get("login"))
                .equalsIgnoreCase(String.valueOf(((Map<?, ?>) user.get("profile")).get("login"))));
        if (taken) {
            StubHttp.sendJson(exchange, 400, error("E0000001", "Api validation failed: login", List.of("login: An object with this"
                    + " field already exists in the current organization")), Map.of());
            return;
        }
        StubHttp.sendJson(exchange, 200, added(profile, activate ? "PROVISIONED" : "STAGED"), Map.of());
    }

    @SuppressWarnings("unchecked")
    private synchronized void update(HttpExchange exchange, Map<String, Object> user, Map<String, Object> profile, boolean replace)
            throws IOException {
        if (profile == null) {
            StubHttp.sendJson(exchange, 400, error("E0000003", "The request body was not well-formed.", List.of()), Map.of());
            return;
        }
        Map<String, Object> own = (Map<String, Object>) user.get("profile");
        if (replace) {
            own.clear();
        }
        own.putAll(profile);
        user.put("lastUpdated", Instant.now().toString());
        StubHttp.sendJson(exchange, 200, user, Map.of());
    }

    /** The Basic credentials an event hook sends where its authScheme's key is Authorization: {@code Basic <base64 of user:password>}. */
    public static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
