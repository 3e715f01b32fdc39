package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Google Workspace account's users, Admin SDK Directory API v1 ({@code /admin/directory/v1/users}), as
 * Google's discovery document of the API ({@code admin:directory_v1}) and its reference pages describe them,
 * with Google's token endpoint for service accounts ({@link GoogleTokenEndpoint}: the assertion must ask for the
 * {@code admin.directory.user} scope and act as {@link #ADMIN}, the delegation's administrator), in the test JVM.
 * Every request to the API is kept, for a test to check against the discovery document ({@link DiscoveryContract}).
 * <ul>
 *   <li>Auth: {@code Authorization: Bearer <a token the endpoint issued>}; else 401 {@code Login Required.}
 *   (reason {@code required}). Errors are Google's {@code {"error": {"code", "message", "errors": [{"message",
 *   "domain", "reason"}]}}}.</li>
 *   <li>{@code users.list}: {@code GET …/users?customer=my_customer} (or {@code domain}; neither: 400
 *   {@code badRequest}), {@code maxResults} 1 to 500 (100 unless asked; else 400 {@code invalid}),
 *   {@code pageToken}: {@code {"kind": "admin#directory#users", "etag", "users": [...], "nextPageToken"}}, the users
 *   in id order, {@code nextPageToken} left out of the last page (and {@code users} of an empty one).</li>
 *   <li>{@code users.insert}: {@code POST …/users} with {@code primaryEmail}, {@code name.givenName},
 *   {@code name.familyName} and {@code password} (else 400 {@code required} naming the field); a primary e-mail
 *   another user has, 409 {@code duplicate} "Entity already exists."; 200 with the user, without its password.</li>
 *   <li>{@code users.get}, {@code users.patch} (the members sent change, {@code name}'s one by one) and
 *   {@code users.delete} (204) at {@code …/users/{userKey}}, the key the user's id or primary e-mail; 404
 *   {@code notFound} for a user the account has not.</li>
 *   <li>Rate limits: {@link #rateLimitNext} answers 429 {@code rateLimitExceeded}; a test scripts Google's 403
 *   {@code userRateLimitExceeded} with {@link #respondNext} and {@link #error}.</li>
 * </ul>
 */
public final class GoogleWorkspaceStub extends LoopbackStub {

    public static final String USERS = "/admin/directory/v1/users";
    /** The administrator whose authority the service account acts with (domain-wide delegation). */
    public static final String ADMIN = "admin@syncline-test.example";
    public static final String SCOPE = "https://www.googleapis.com/auth/admin.directory.user";
    private static final Pattern ONE = Pattern.compile(USERS + "/([^/]+)");
    private static final int DEFAULT_PAGE = 100;
    private static final int MOST_A_PAGE = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GoogleTokenEndpoint tokenEndpoint = new GoogleTokenEndpoint(SCOPE, ADMIN);
    private final Map<String, Map<String, Object>> users = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong(100_000_000_000_000_000L);

    private GoogleWorkspaceStub() {
        serve(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/token")) {
                token(exchange);
            } else {
                handle(exchange);
            }
        }, USERS, "/token");
    }

    public static GoogleWorkspaceStub start() {
        return new GoogleWorkspaceStub();
    }

    /** The service account's JSON key, its {@code token_uri} this stub's token endpoint. */
    public String serviceAccountKey() {
        return tokenEndpoint.serviceAccountKey(baseUrl() + "/token");
    }

    /** How many access tokens the token endpoint issued. */
    public int tokensIssued() {
        return tokenEndpoint.issued();
    }

    /** Google's error body: {@code {"error": {"code", "message", "errors": [{"message", "domain", "reason"}]}}}. */
    public static Map<String, Object> error(int code, String message, String domain, String reason) {
        return Map.of("error", Map.of("code", code, "message", message, "errors", List.of(Map.of("message", message, "domain", domain,
                "reason", reason))));
    }

    /** A user the account has already, with {@code primaryEmail} and its name; the user. */
    public Map<String, Object> add(String primaryEmail, String givenName, String familyName) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("primaryEmail", primaryEmail);
        user.put("name", new LinkedHashMap<>(Map.of("givenName", givenName, "familyName", familyName)));
        return added(user);
    }

    private synchronized Map<String, Object> added(Map<String, Object> sent) {
        String id = Long.toString(ids.incrementAndGet()) + "001";
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("kind", "admin#directory#user");
        user.put("id", id);
        user.put("etag", "\"" + id + "/etag\"");
        user.put("primaryEmail", sent.get("primaryEmail"));
        user.put("name", new LinkedHashMap<>((Map<?, ?>) sent.get("name")));
        user.put("isAdmin", false);
        user.put("isDelegatedAdmin", false);
        user.put("creationTime", Instant.now().toString());
        user.put("agreedToTerms", false);
        user.put("suspended", Boolean.TRUE.equals(sent.get("suspended")));
        user.put("archived", false);
        user.put("changePasswordAtNextLogin", Boolean.TRUE.equals(sent.get("changePasswordAtNextLogin")));
        user.put("customerId", "C03az79cb");
        user.put("orgUnitPath", sent.getOrDefault("orgUnitPath", "/"));
        user.put("isMailboxSetup", false);
        user.put("includeInGlobalAddressList", true);
        users.put(id, user);
        return user;
    }

    /** The user {@code id}; null when the account has none. */
    public Map<String, Object> user(String id) {
        return users.get(id);
    }

    /** The name of the user {@code id}: {@code givenName}, {@code familyName}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> name(String id) {
        return (Map<String, Object>) users.get(id).get("name");
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            GoogleTokenEndpoint.Answer answer = tokenEndpoint.answer(baseUrl() + "/token", StubHttp.form(body));
            StubHttp.sendJson(exchange, answer.status(), answer.body(), Map.of());
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            HubSpotStub.Received request = received.record(exchange);
            String method = request.method();
            String path = request.path();
            if (!tokenEndpoint.accepts(request.header("Authorization"))) {
                StubHttp.sendJson(exchange, 401, error(401, "Login Required.", "global", "required"),
                        Map.of("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\""));
                return;
            }
            if (ahead.answered(exchange, method, path, error(429, "Rate Limit Exceeded", "usageLimits", "rateLimitExceeded"), Map::of)) {
                return;
            }
            Map<String, String> query = StubHttp.form(exchange.getRequestURI().getRawQuery());
            Matcher one = ONE.matcher(path);
            if (path.equals(USERS) && method.equals("GET")) {
                list(exchange, query);
            } else if (path.equals(USERS) && method.equals("POST")) {
                insert(exchange, body(request.body()));
            } else if (one.matches() && List.of("GET", "PATCH", "DELETE").contains(method)) {
                Map<String, Object> user = find(one.group(1));
                if (user == null) {
                    StubHttp.sendJson(exchange, 404, error(404, "Resource Not Found: userKey", "global", "notFound"), Map.of());
                } else if (method.equals("DELETE")) {
                    users.remove((String) user.get("id"));
                    exchange.sendResponseHeaders(204, -1);
                } else if (method.equals("GET")) {
                    StubHttp.sendJson(exchange, 200, user, Map.of());
                } else {
                    patch(exchange, user, body(request.body()));
                }
            } else {
                StubHttp.sendJson(exchange, 404, error(404, "Not Found", "global", "notFound"), Map.of());
            }
        }
    }

    private Map<String, Object> find(String key) {
        Map<String, Object> user = users.get(key);
        return user != null ? user
                : users.values().stream().filter(each -> key.equalsIgnoreCase(String.valueOf(each.get("primaryEmail")))).findFirst()
                        .orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(String body) throws IOException {
        return body == null || body.isBlank() ? null : JSON.readValue(body, Map.class);
    }

    private void list(HttpExchange exchange, Map<String, String> query) throws IOException {
        if (query.get("customer") == null && query.get("domain") == null) {
            StubHttp.sendJson(exchange, 400, error(400, "Bad Request", "global", "badRequest"), Map.of());
            return;
        }
        int limit = Integer.parseInt(query.getOrDefault("maxResults", Integer.toString(DEFAULT_PAGE)));
        if (limit < 1 || limit > MOST_A_PAGE) {
            StubHttp.sendJson(exchange, 400, error(400, "Invalid Input: maxResults", "global", "invalid"), Map.of());
            return;
        }
        String after = query.get("pageToken") == null ? null
                : new String(Base64.getUrlDecoder().decode(query.get("pageToken")), StandardCharsets.UTF_8);
        List<Map<String, Object>> all = users.values().stream().filter(user -> after == null || ((String) user.get("id")).compareTo(after) > 0)
                .toList();
        List<Map<String, Object>> page = new ArrayList<>(all.subList(0, Math.min(limit, all.size())));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("kind", "admin#directory#users");
        answer.put("etag", "\"users/etag\"");
        if (!page.isEmpty()) {
            answer.put("users", page);
        }
        if (all.size() > page.size()) {
            answer.put("nextPageToken", Base64.getUrlEncoder().withoutPadding().encodeToString(((String) page.get(page.size() - 1)
                    .get("id")).getBytes(StandardCharsets.UTF_8)));
        }
        StubHttp.sendJson(exchange, 200, answer, Map.of());
    }

    private synchronized void insert(HttpExchange exchange, Map<String, Object> user) throws IOException {
        Map<?, ?> name = user == null || !(user.get("name") instanceof Map<?, ?> given) ? Map.of() : given;
        for (String required : List.of("primaryEmail", "name.givenName", "name.familyName", "password")) {
            Object value = required.startsWith("name.") ? name.get(required.substring(5)) : user == null ? null : user.get(required);
            if (value == null || String.valueOf(value).isBlank()) {
                StubHttp.sendJson(exchange, 400, error(400, "Invalid Input: " + required, "global", "required"), Map.of());
                return;
            }
        }
        if (find(String.valueOf(user.get("primaryEmail"))) != null) {
            StubHttp.sendJson(exchange, 409, error(409, "Entity already exists.", "global", "duplicate"), Map.of());
            return;
        }
        StubHttp.sendJson(exchange, 200, added(user), Map.of());
    }

    @SuppressWarnings("unchecked")
    private synchronized void patch(HttpExchange exchange, Map<String, Object> user, Map<String, Object> sent) throws IOException {
        if (sent == null) {
            StubHttp.sendJson(exchange, 400, error(400, "Bad Request", "global", "badRequest"), Map.of());
            return;
        }
        sent.forEach((member, value) -> {
            if (member.equals("name") && value instanceof Map<?, ?> name) {
                ((Map<String, Object>) user.get("name")).putAll((Map<String, Object>) name);
            } else if (!member.equals("password")) {
                user.put(member, value);
            }
        });
        StubHttp.sendJson(exchange, 200, user, Map.of());
    }
}
