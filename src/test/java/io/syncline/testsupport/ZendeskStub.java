package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Zendesk Support API's users, as developer.zendesk.com documents them, in the test JVM (JDK
 * HttpServer on a free port). Zendesk's OpenAPI description (developer.zendesk.com/zendesk/oas.yaml)
 * could not be reached from this build, so the stub follows the reference pages and their examples:
 * <ul>
 *   <li>Auth ("Security and authentication"): an API token as basic auth, {@code {email}/token:{token}};
 *   anything else 401 {@code {"error": "Couldn't authenticate you"}}.</li>
 *   <li>{@code GET /api/v2/users} with cursor pagination ("Paginating through lists using cursor
 *   pagination"): {@code page[size]} at most 100 (else 400 {@code InvalidPaginationParameter}),
 *   {@code page[after]}; {@code {"users": […], "meta": {"has_more", "after_cursor", "before_cursor"},
 *   "links": {"next", "prev"}}}. The last page says {@code has_more: false} and still links a next page,
 *   as the documentation asks clients to stop on {@code has_more}.</li>
 *   <li>{@code POST /api/v2/users} {@code {"user": {…}}} ("Create User"): 201 {@code {"user": {…}}}; a
 *   name is required and an e-mail belongs to one user, else 422 {@code {"error": "RecordInvalid",
 *   "description": "Record validation errors", "details": {"email": [{"description", "error"}]}}}.</li>
 *   <li>{@code GET} and {@code PUT /api/v2/users/{id}} ("Show User", "Update User"): {@code {"user": {…}}},
 *   an update changes only what it sends; 404 {@code {"error": "RecordNotFound", "description": "Not found"}}.</li>
 *   <li>{@code GET /api/v2/users/search?query=email:…} or {@code ?external_id=…} ("Search Users"):
 *   {@code {"users": […], "next_page", "previous_page", "count"}}.</li>
 *   <li>{@code POST /api/v2/users/create_or_update_many} and {@code PUT /api/v2/users/update_many}
 *   {@code {"users": [… up to 100]}} ("Create Or Update Many Users", "Update Many Users"): a
 *   {@code {"job_status": {"id", "url", "status": "queued", …}}}; {@code GET /api/v2/job_statuses/{id}}
 *   ("Show Job Status") {@code working}, then {@code completed} with its {@code results}, in the order
 *   the users were sent.</li>
 *   <li>Rate limits ("Rate limits"): while {@link #rateLimitNext} is set, 429 with {@code Retry-After}
 *   (seconds) and {@code X-Rate-Limit}, {@code X-Rate-Limit-Remaining: 0}.</li>
 * </ul>
 */
public final class ZendeskStub extends LoopbackStub {

    public static final String USERS = "/api/v2/users";
    public static final String JOB_STATUSES = "/api/v2/job_statuses";
    private static final int MAX_BATCH = 100;
    private static final int MAX_PAGE_SIZE = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String authorization;
    private final Map<Long, Map<String, Object>> users = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong(360_000_000_000L);
    private final Map<String, Map<String, Object>> jobs = new java.util.concurrent.ConcurrentHashMap<>();

    private ZendeskStub(String email, String token) {
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((email + "/token:" + token)
                .getBytes(StandardCharsets.UTF_8));
        serve(this::handle, USERS, JOB_STATUSES);
    }

    /** A stub accepting the API token {@code token} of agent {@code email}. */
    public static ZendeskStub start(String email, String token) {
        return new ZendeskStub(email, token);
    }

    /** A user Zendesk has already; its id. */
    public String add(Map<String, Object> fields) {
        long id = ids.incrementAndGet();
        Map<String, Object> user = new LinkedHashMap<>(fields);
        user.put("id", id);
        user.putIfAbsent("role", "end-user");
        user.put("created_at", Instant.now().toString());
        user.put("updated_at", Instant.now().toString());
        users.put(id, user);
        return Long.toString(id);
    }

    public Map<String, Object> user(String id) {
        return users.get(Long.parseLong(id));
    }

    /** The ids of the users with this e-mail. */
    public List<String> withEmail(String email) {
        return users.values().stream().filter(user -> email.equalsIgnoreCase(String.valueOf(user.get("email"))))
                .map(user -> String.valueOf(user.get("id"))).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            HubSpotStub.Received request = received.record(exchange);
            String body = request.body();
            String method = request.method();
            String path = request.path();
            if (!authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                StubHttp.sendJson(exchange, 401, Map.of("error", "Couldn't authenticate you"), Map.of());
                return;
            }
            if (ahead.answered(exchange, method, path, Map.of("error", "APIRateLimitExceeded",
                    "description", "Number of allowed API requests per minute exceeded"),
                    () -> Map.of("Retry-After", "1", "X-Rate-Limit", "700", "X-Rate-Limit-Remaining", "0"))) {
                return;
            }
            Map<String, String> query = StubHttp.form(exchange.getRequestURI().getRawQuery());
            if (path.startsWith(JOB_STATUSES + "/") && method.equals("GET")) {
                jobStatus(exchange, path.substring(JOB_STATUSES.length() + 1));
                return;
            }
            String rest = path.substring(USERS.length());
            if (rest.equals("/create_or_update_many") && method.equals("POST")) {
                many(exchange, body, true);
            } else if (rest.equals("/update_many") && method.equals("PUT")) {
                many(exchange, body, false);
            } else if (rest.isEmpty() && method.equals("GET")) {
                list(exchange, query);
            } else if (rest.isEmpty() && method.equals("POST")) {
                create(exchange, body);
            } else if (rest.equals("/search") && method.equals("GET")) {
                search(exchange, query);
            } else if (rest.matches("/\\d+") && (method.equals("GET") || method.equals("PUT"))) {
                Map<String, Object> user = users.get(Long.parseLong(rest.substring(1)));
                if (user == null) {
                    StubHttp.sendJson(exchange, 404, Map.of("error", "RecordNotFound", "description", "Not found"), Map.of());
                } else if (method.equals("PUT")) {
                    update(exchange, user, body);
                } else {
                    StubHttp.sendJson(exchange, 200, Map.of("user", user), Map.of());
                }
            } else {
                StubHttp.sendJson(exchange, 404, Map.of("error", "InvalidEndpoint", "description", "Not found"), Map.of());
            }
        }
    }

    private void list(HttpExchange exchange, Map<String, String> query) throws IOException {
        int size = Integer.parseInt(query.getOrDefault("page[size]", "100"));
        if (size > MAX_PAGE_SIZE || size < 1) {
            StubHttp.sendJson(exchange, 400, Map.of("error", "InvalidPaginationParameter",
                    "description", "page[size] must be between 1 and " + MAX_PAGE_SIZE), Map.of());
            return;
        }
        long after = query.containsKey("page[after]") ? Long.parseLong(new String(Base64.getUrlDecoder()
                .decode(query.get("page[after]")), StandardCharsets.UTF_8)) : 0;
        List<Map<String, Object>> page = users.values().stream()
                .filter(user -> ((Number) user.get("id")).longValue() > after).limit(size).toList();
        long last = page.isEmpty() ? after : ((Number) page.get(page.size() - 1).get("id")).longValue();
        boolean more = users.keySet().stream().anyMatch(id -> id > last);
        String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(Long.toString(last).getBytes(StandardCharsets.UTF_8));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("has_more", more);
        meta.put("after_cursor", cursor);
        meta.put("before_cursor", null);
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("prev", null);
        links.put("next", baseUrl() + USERS + "?page%5Bafter%5D=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)
                + "&page%5Bsize%5D=" + size);
        StubHttp.sendJson(exchange, 200, Map.of("users", page, "meta", meta, "links", links), Map.of());
    }

    @SuppressWarnings("unchecked")
    private void create(HttpExchange exchange, String body) throws IOException {
        Map<String, Object> user = JSON.readValue(body, Map.class).get("user") instanceof Map<?, ?> map
                ? new LinkedHashMap<>((Map<String, Object>) map) : null;
        if (user == null) {
            StubHttp.sendJson(exchange, 400, Map.of("error", "InvalidParameter", "description", "user is required"), Map.of());
            return;
        }
        Map<String, Object> details = invalid(user, null);
        if (!details.isEmpty()) {
            StubHttp.sendJson(exchange, 422, Map.of("error", "RecordInvalid", "description", "Record validation errors",
                    "details", details), Map.of());
            return;
        }
        user.remove("id");
        StubHttp.sendJson(exchange, 201, Map.of("user", user(add(user))), Map.of());
    }

    @SuppressWarnings("unchecked")
    private void update(HttpExchange exchange, Map<String, Object> user, String body) throws IOException {
        Map<String, Object> changes = (Map<String, Object>) JSON.readValue(body, Map.class).get("user");
        Map<String, Object> details = changes == null ? Map.of() : invalid(changes, user.get("id"));
        if (changes == null || !details.isEmpty()) {
            StubHttp.sendJson(exchange, 422, Map.of("error", "RecordInvalid", "description", "Record validation errors",
                    "details", details), Map.of());
            return;
        }
        changes.forEach((field, value) -> {
            if (!field.equals("id")) {
                user.put(field, value);
            }
        });
        user.put("updated_at", Instant.now().toString());
        StubHttp.sendJson(exchange, 200, Map.of("user", user), Map.of());
    }

    /**
     * A bulk job of users: create_or_update_many matches each by {@code external_id}, else {@code email},
     * updating the user it finds and creating the others; update_many updates each by its {@code id}.
     * The job is done at once and answered queued; its status says {@code working} when first asked
     * after, then {@code completed} with a result a user in the order sent: {@code {"id", "status":
     * "Created"|"Updated", "email"}}, or {@code {"id": its index, "error", "details", "status": "Failed"}}
     * as Zendesk answers a failed one.
     */
    @SuppressWarnings("unchecked")
    private synchronized void many(HttpExchange exchange, String body, boolean createOrUpdate) throws IOException {
        Object listed = JSON.readValue(body, Map.class).get("users");
        if (!(listed instanceof List<?> given) || given.isEmpty() || given.size() > MAX_BATCH) {
            StubHttp.sendJson(exchange, 400, Map.of("error", "InvalidValue", "description", "users must list 1 to " + MAX_BATCH
                    + " users"), Map.of());
            return;
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (int index = 0; index < given.size(); index++) {
            Map<String, Object> changes = new LinkedHashMap<>((Map<String, Object>) given.get(index));
            Map<String, Object> user = createOrUpdate
                    ? users.values().stream().filter(known -> changes.get("external_id") != null ? changes.get("external_id").equals(known.get("external_id"))
                            : changes.get("email") != null && changes.get("email").toString().equalsIgnoreCase(
                                    String.valueOf(known.get("email"))))
                            .findFirst().orElse(null)
                    : changes.get("id") == null ? null : users.get(Long.parseLong(changes.get("id").toString()));
            Map<String, Object> details = invalid(changes, user == null ? null : user.get("id"));
            Map<String, Object> result = new LinkedHashMap<>();
            if (user == null && !createOrUpdate) {
                result.put("id", index);
                result.put("error", "UserUpdateError");
                result.put("details", "Not found");
                result.put("status", "Failed");
            } else if (!details.isEmpty()) {
                result.put("id", index);
                result.put("error", user == null ? "UserCreateError" : "UserUpdateError");
                result.put("details", details.values().stream().flatMap(each -> ((List<Map<String, Object>>) each).stream())
                        .map(each -> String.valueOf(each.get("description"))).reduce((a, b) -> a + "; " + b).orElse(""));
                result.put("status", "Failed");
            } else if (user == null) {
                changes.remove("id");
                String id = add(changes);
                result.put("id", Long.parseLong(id));
                result.put("status", "Created");
                result.put("email", changes.get("email"));
            } else {
                changes.forEach((field, value) -> {
                    if (!field.equals("id")) {
                        user.put(field, value);
                    }
                });
                user.put("updated_at", Instant.now().toString());
                result.put("id", user.get("id"));
                result.put("status", "Updated");
                result.put("email", user.get("email"));
            }
            results.add(result);
        }
        String id = "V3-" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("id", id);
        job.put("url", baseUrl() + JOB_STATUSES + "/" + id + ".json");
        job.put("total", given.size());
        job.put("progress", null);
        job.put("status", "queued");
        job.put("message", null);
        job.put("results", null);
        jobs.put(id, new LinkedHashMap<>(Map.of("job", job, "results", results, "asked", new AtomicInteger())));
        StubHttp.sendJson(exchange, 200, Map.of("job_status", job), Map.of());
    }

    @SuppressWarnings("unchecked")
    private void jobStatus(HttpExchange exchange, String id) throws IOException {
        Map<String, Object> kept = jobs.get(id.replaceAll("\\.json$", ""));
        if (kept == null) {
            StubHttp.sendJson(exchange, 404, Map.of("error", "RecordNotFound", "description", "Not found"), Map.of());
            return;
        }
        Map<String, Object> job = new LinkedHashMap<>((Map<String, Object>) kept.get("job"));
        List<Map<String, Object>> results = (List<Map<String, Object>>) kept.get("results");
        if (((AtomicInteger) kept.get("asked")).getAndIncrement() == 0) {
            job.put("status", "working");
            job.put("progress", 0);
        } else {
            job.put("status", "completed");
            job.put("progress", results.size());
            job.put("message", "Completed at " + Instant.now());
            job.put("results", results);
        }
        StubHttp.sendJson(exchange, 200, Map.of("job_status", job), Map.of());
    }

    /** Zendesk's validation: a new user's name, one user an e-mail. */
    private Map<String, Object> invalid(Map<String, Object> user, Object self) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (self == null && (user.get("name") == null || user.get("name").toString().isBlank())) {
            details.put("name", List.of(Map.of("description", "Name:  is too short (minimum one character)", "error", "BlankValue")));
        }
        Object email = user.get("email");
        if (email != null && users.values().stream().anyMatch(other -> !other.get("id").equals(self)
                && email.toString().equalsIgnoreCase(String.valueOf(other.get("email"))))) {
            details.put("email", List.of(Map.of("description", "Email: " + email + " is already being used by another user",
                    "error", "DuplicateValue")));
        }
        return details;
    }

    private void search(HttpExchange exchange, Map<String, String> query) throws IOException {
        List<Map<String, Object>> found = new ArrayList<>();
        String term = query.get("query");
        String externalId = query.get("external_id");
        for (Map<String, Object> user : users.values()) {
            boolean byEmail = term != null && term.startsWith("email:")
                    && term.substring("email:".length()).equalsIgnoreCase(String.valueOf(user.get("email")));
            boolean byExternalId = externalId != null && externalId.equals(user.get("external_id"));
            if (byEmail || byExternalId) {
                found.add(user);
            }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("users", found);
        answer.put("next_page", null);
        answer.put("previous_page", null);
        answer.put("count", found.size());
        StubHttp.sendJson(exchange, 200, answer, Map.of());
    }
}
