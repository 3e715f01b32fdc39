package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Jira Cloud site's issues, platform REST API v3, as Atlassian's published OpenAPI description
 * ({@code swagger-v3.v3.json}) and its reference pages describe them, in the test JVM (JDK HttpServer on
 * a free port). Every request is kept, for a test to check against that description
 * ({@link ApiDescription}).
 * <ul>
 *   <li>Auth: basic, the account's e-mail and an API token; anything else 401 with Jira's error
 *   collection {@code {"errorMessages": […], "errors": {…}}}, the shape of every error here.</li>
 *   <li>{@code GET /rest/api/3/search/jql?jql=project=KEY&fields=…&maxResults=…&nextPageToken=…}: the
 *   project's issues in id order as {@code {"issues": […], "nextPageToken", "isLast"}}, the token left
 *   out of the last page; each issue its {@code id} alone unless {@code fields} asks for more
 *   ({@code *navigable}, {@code *all}); a query that names no project, or a token the stub did not
 *   give, 400.</li>
 *   <li>{@code POST /rest/api/3/issue} {@code {"fields": {…}}}: 201 {@code {"id", "key", "self"}}; a
 *   project the site has not, no issue type or no summary refused 400 with the field's error.</li>
 *   <li>{@code GET}, {@code PUT} and {@code DELETE /rest/api/3/issue/{issueIdOrKey}}: the issue
 *   {@code {"id", "key", "self", "fields"}}; an edit changes only the fields it sends and answers 204,
 *   and refuses {@code project} and {@code issuetype} (an issue moves by another operation); a delete
 *   answers 204; 404 for an issue the site has not.</li>
 *   <li>Rate limits: while {@link #rateLimitNext} is set, 429 with {@code Retry-After} (seconds),
 *   {@code X-RateLimit-Reset} (when the limit resets, to the minute), {@code X-RateLimit-Limit},
 *   {@code X-RateLimit-Remaining} and {@code RateLimit-Reason}, as Jira's rate-limiting page lists them.</li>
 *   <li>Webhooks: {@link #event} writes a delivery as an admin webhook posts it, and {@link #sign} its
 *   {@code X-Hub-Signature}: {@code sha256=} and the hex HMAC-SHA256 of the body with the webhook's
 *   secret.</li>
 * </ul>
 */
public final class JiraStub extends LoopbackStub {

    public static final String BASE = "/rest/api/3";
    public static final String ISSUE = BASE + "/issue";
    public static final String SEARCH = BASE + "/search/jql";
    private static final Pattern ONE = Pattern.compile(ISSUE + "/([A-Z0-9-]+)");
    private static final Pattern PROJECT = Pattern.compile("project\\s*=\\s*\"?([A-Z][A-Z0-9_]*)\"?");
    private static final Set<String> NOT_EDITABLE = Set.of("project", "issuetype");
    private static final int MAX_PAGE = 5000;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** X-RateLimit-Reset's format, as Jira's rate-limiting page gives it: {@code yyyy-MM-ddTHH:mmZ}. */
    private static final DateTimeFormatter RESET = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);

    private final String authorization;
    private final Map<Long, Map<String, Object>> issues = new ConcurrentSkipListMap<>();
    private final Map<String, AtomicLong> projects = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong(10_000);
    private final ScriptedAnswers ahead = new ScriptedAnswers();

    private JiraStub(String email, String token) {
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((email + ":" + token).getBytes(StandardCharsets.UTF_8));
        serve(this::handle, BASE + "/");
    }

    /** A site accepting the API token {@code token} of the account {@code email}. */
    public static JiraStub start(String email, String token) {
        return new JiraStub(email, token);
    }

    /** {@code sha256=} and the hex HMAC-SHA256 of {@code body} with {@code secret}: an admin webhook's {@code X-Hub-Signature}. */
    public static String sign(String secret, String body) {
        return "sha256=" + StubHttp.hexHmacSha256(secret, body);
    }

    /**
     * A delivery of {@code webhookEvent} ({@code jira:issue_created}, {@code jira:issue_updated}) on
     * {@code issue} as an admin webhook posts it: {@code {"timestamp", "webhookEvent",
     * "issue_event_type_name", "user", "issue": {"id", "self", "key", "fields"}}}.
     */
    public static String event(String webhookEvent, Map<String, Object> issue) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("timestamp", Instant.now().toEpochMilli());
        event.put("webhookEvent", webhookEvent);
        event.put("issue_event_type_name", webhookEvent.equals("jira:issue_created") ? "issue_created" : "issue_generic");
        event.put("user", Map.of("accountId", "5b10a2844c20165700ede21g", "accountType", "atlassian"));
        event.put("issue", issue);
        try {
            return JSON.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A project of the site, whose issues are keyed {@code KEY-1}, {@code KEY-2}, … */
    public void addProject(String key) {
        projects.putIfAbsent(key, new AtomicLong());
    }

    /** An issue the site has already, in project {@code project}; its id. */
    public String add(String project, Map<String, Object> fields) {
        long id = ids.incrementAndGet();
        String key = project + "-" + projects.get(project).incrementAndGet();
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("summary", "");
        all.putAll(fields);
        all.put("project", Map.of("id", "10000", "key", project, "name", project));
        all.putIfAbsent("issuetype", Map.of("name", "Task"));
        all.put("created", Instant.now().toString());
        all.put("updated", Instant.now().toString());
        Map<String, Object> issue = new LinkedHashMap<>();
        issue.put("id", Long.toString(id));
        issue.put("key", key);
        issue.put("self", baseUrl() + ISSUE + "/" + id);
        issue.put("fields", all);
        issues.put(id, issue);
        return Long.toString(id);
    }

    /** The issue by its id or key; null when the site has none. */
    public Map<String, Object> issue(String idOrKey) {
        return issues.values().stream().filter(issue -> idOrKey.equals(issue.get("id")) || idOrKey.equals(issue.get("key")))
                .findFirst().orElse(null);
    }

    /** The fields of the issue {@code id}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> fields(String id) {
        return (Map<String, Object>) issue(id).get("fields");
    }

    /** The next {@code n} requests are answered 429. */
    public void rateLimitNext(int n) {
        ahead.rateLimitNext(n);
    }

    /** The next {@code method} request to {@code path} is answered so, whatever it asks. */
    public void respondNext(String method, String path, int status, Object body) {
        ahead.respondNext(method, path, status, body);
    }

    /** Jira's error collection: {@code {"errorMessages": [messages], "errors": {field: message}}}. */
    public static Map<String, Object> error(List<String> messages, Map<String, String> byField) {
        return Map.of("errorMessages", messages, "errors", byField);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            HubSpotStub.Received request = received.record(exchange);
            String method = request.method();
            String path = request.path();
            if (unauthorized(exchange, authorization, error(List.of("You are not authenticated. Authentication required to perform"
                    + " this operation."), Map.of()))) {
                return;
            }
            if (ahead.answered(exchange, method, path, error(List.of("Rate limit exceeded."), Map.of()),
                    () -> Map.of("Retry-After", "1", "X-RateLimit-Limit", "100", "X-RateLimit-Remaining", "0",
                            "X-RateLimit-Reset", RESET.format(Instant.now().plusSeconds(60)), "RateLimit-Reason", "jira-quota-based"))) {
                return;
            }
            Matcher one = ONE.matcher(path);
            if (path.equals(SEARCH) && method.equals("GET")) {
                search(exchange, StubHttp.form(exchange.getRequestURI().getRawQuery()));
            } else if (path.equals(ISSUE) && method.equals("POST")) {
                create(exchange, fieldsOf(request.body()));
            } else if (one.matches() && List.of("GET", "PUT", "DELETE").contains(method)) {
                Map<String, Object> issue = issue(one.group(1));
                if (issue == null) {
                    StubHttp.sendJson(exchange, 404, error(List.of("Issue does not exist or you do not have permission to see it."),
                            Map.of()), Map.of());
                } else if (method.equals("PUT")) {
                    edit(exchange, issue, fieldsOf(request.body()));
                } else if (method.equals("DELETE")) {
                    issues.remove(Long.parseLong((String) issue.get("id")));
                    exchange.sendResponseHeaders(204, -1);
                } else {
                    StubHttp.sendJson(exchange, 200, issue, Map.of());
                }
            } else {
                StubHttp.sendJson(exchange, 404, error(List.of("null for uri: " + exchange.getRequestURI()), Map.of()), Map.of());
            }
        }
    }

    /** The fields of a request's {@code {"fields": {…}}}; null where the body has none. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> fieldsOf(String body) throws IOException {
        Object fields = body == null || body.isBlank() ? null : JSON.readValue(body, Map.class).get("fields");
        return fields instanceof Map<?, ?> map ? new LinkedHashMap<>((Map<String, Object>) map) : null;
    }

    private void search(HttpExchange exchange, Map<String, String> query) throws IOException {
        Matcher project = PROJECT.matcher(query.getOrDefault("jql", ""));
        if (!project.find() || !projects.containsKey(project.group(1))) {
            StubHttp.sendJson(exchange, 400, error(List.of("Unbounded JQL queries are not allowed here. Please add a search"
                    + " restriction to your query."), Map.of()), Map.of());
            return;
        }
        String key = project.group(1);
        List<Map<String, Object>> all = issues.values().stream()
                .filter(issue -> key.equals(((Map<?, ?>) ((Map<?, ?>) issue.get("fields")).get("project")).get("key"))).toList();
        int limit = Integer.parseInt(query.getOrDefault("maxResults", "50"));
        if (limit < 1 || limit > MAX_PAGE) {
            StubHttp.sendJson(exchange, 400, error(List.of("The maxResults parameter must be between 1 and " + MAX_PAGE + "."), Map.of()),
                    Map.of());
            return;
        }
        int from = 0;
        if (query.containsKey("nextPageToken")) {
            String[] token = new String(Base64.getUrlDecoder().decode(query.get("nextPageToken")), StandardCharsets.UTF_8).split(":");
            if (token.length != 2 || !token[0].equals(key)) {
                StubHttp.sendJson(exchange, 400, error(List.of("The provided next page token is invalid or expired."), Map.of()), Map.of());
                return;
            }
            // the page goes on after the last issue of the one before, whatever was added since
            from = (int) all.stream().filter(issue -> Long.parseLong((String) issue.get("id")) <= Long.parseLong(token[1])).count();
        }
        int to = Math.min(all.size(), from + limit);
        boolean fields = query.getOrDefault("fields", "id").matches(".*(\\*navigable|\\*all|summary).*");
        List<Map<String, Object>> page = new ArrayList<>();
        for (Map<String, Object> issue : all.subList(Math.min(from, to), to)) {
            page.add(fields ? issue : Map.of("id", issue.get("id")));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("issues", page);
        if (to < all.size()) {
            answer.put("nextPageToken", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((key + ":" + all.get(to - 1).get("id")).getBytes(StandardCharsets.UTF_8)));
        }
        answer.put("isLast", to >= all.size());
        StubHttp.sendJson(exchange, 200, answer, Map.of());
    }

    private synchronized void create(HttpExchange exchange, Map<String, Object> fields) throws IOException {
        Map<String, String> errors = new LinkedHashMap<>();
        Object project = fields == null || !(fields.get("project") instanceof Map<?, ?> named) ? null : named.get("key");
        if (project == null || !projects.containsKey(String.valueOf(project))) {
            errors.put("project", "valid project is required");
        }
        if (fields == null || !(fields.get("issuetype") instanceof Map<?, ?>)) {
            errors.put("issuetype", "Specify an issue type");
        }
        if (fields == null || fields.get("summary") == null || String.valueOf(fields.get("summary")).isBlank()) {
            errors.put("summary", "You must specify a summary of the issue.");
        }
        if (!errors.isEmpty()) {
            StubHttp.sendJson(exchange, 400, error(List.of(), errors), Map.of());
            return;
        }
        Map<String, Object> own = new LinkedHashMap<>(fields);
        own.remove("project");
        String id = add(String.valueOf(project), own);
        Map<String, Object> issue = issue(id);
        StubHttp.sendJson(exchange, 201, Map.of("id", id, "key", issue.get("key"), "self", issue.get("self")), Map.of());
    }

    @SuppressWarnings("unchecked")
    private synchronized void edit(HttpExchange exchange, Map<String, Object> issue, Map<String, Object> fields) throws IOException {
        if (fields == null) {
            StubHttp.sendJson(exchange, 400, error(List.of("No fields were sent."), Map.of()), Map.of());
            return;
        }
        for (String field : fields.keySet()) {
            if (NOT_EDITABLE.contains(field)) {
                StubHttp.sendJson(exchange, 400, error(List.of(), Map.of(field, "Field '" + field + "' cannot be set. It is not on the"
                        + " appropriate screen, or unknown.")), Map.of());
                return;
            }
        }
        Map<String, Object> own = (Map<String, Object>) issue.get("fields");
        own.putAll(fields);
        own.put("updated", Instant.now().toString());
        exchange.sendResponseHeaders(204, -1);
    }
}
