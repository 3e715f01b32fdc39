package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asana's tasks, REST API 1.0, as Asana's published OpenAPI description (github.com/Asana/openapi,
 * {@code defs/asana_oas.yaml}) and its reference pages describe them, in the test JVM (JDK HttpServer
 * on a free port), under the server's path {@code /api/1.0}. Every request is kept, for a test to
 * check against that description ({@link ApiDescription}).
 * <ul>
 *   <li>Auth: a personal access token (or OAuth token) as a bearer token; anything else 401
 *   {@code {"errors": [{"message": "Not Authorized", "help": …}]}}, the shape of every error.</li>
 *   <li>{@code GET /projects/{project_gid}/tasks?limit=…&offset=…}: the project's tasks, compact
 *   ({@code gid}, {@code resource_type}, {@code name}, {@code resource_subtype}), as {@code {"data": […],
 *   "next_page": {"offset", "path", "uri"}}}, {@code next_page} null on the last page; {@code limit}
 *   1 to 100, else 400; an offset token the stub did not give, 400.</li>
 *   <li>{@code POST /tasks} {@code {"data": {…}}}: 201 with {@code {"data": the task}} (its
 *   {@code gid}, {@code workspace}, {@code projects}, {@code created_at}, {@code modified_at}); a task
 *   that names none of {@code workspace}, {@code projects} and {@code parent} is refused (400), as is a
 *   project the stub does not have (404).</li>
 *   <li>{@code GET}, {@code PUT} and {@code DELETE /tasks/{task_gid}}: {@code {"data": the task}};
 *   an update changes only what it sends, and refuses the create-only {@code projects},
 *   {@code workspace}, {@code followers} and {@code tags}; a delete answers {@code {"data": {}}}; 404
 *   "Unknown object" for a gid it has not.</li>
 *   <li>Rate limits: while {@link #rateLimitNext} is set, 429 with {@code Retry-After} (seconds), as
 *   Asana answers beyond its per-minute limit.</li>
 *   <li>Webhooks: {@link #events} writes a delivery as Asana posts it, and {@link #sign} its
 *   {@code X-Hook-Signature}: the hex HMAC-SHA256 of the body with the secret of the handshake.</li>
 * </ul>
 */
public final class AsanaStub extends LoopbackStub {

    public static final String BASE = "/api/1.0";
    public static final String TASKS = BASE + "/tasks";
    public static final String WEBHOOKS = BASE + "/webhooks";
    public static final String WORKSPACE = "1204000000000001";
    private static final String HELP = "For more information on API status codes and how to handle them, read the docs on errors:"
            + " https://developers.asana.com/docs/errors";
    private static final Pattern PROJECT_TASKS = Pattern.compile(BASE + "/projects/([0-9]+)/tasks");
    private static final Pattern TASK = Pattern.compile(TASKS + "/([0-9]+)");
    private static final Set<String> CREATE_ONLY = Set.of("projects", "workspace", "followers", "tags");
    private static final int MAX_PAGE = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String authorization;
    private final Map<String, Map<String, Object>> tasks = new ConcurrentSkipListMap<>();
    private final Map<String, String> projects = new ConcurrentSkipListMap<>();
    private final AtomicLong gids = new AtomicLong(1_204_000_000_100_000L);
    /** Webhooks made by {@code POST /webhooks}, by gid: their target and the secret their handshake handed over. */
    private final Map<String, Hook> hooks = new ConcurrentSkipListMap<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A webhook Asana keeps: where it delivers, and the secret its deliveries are signed with. */
    public record Hook(String gid, String resource, String target, String secret) {
    }

    private AsanaStub(String token) {
        this.authorization = "Bearer " + token;
        serve(this::handle, BASE + "/");
    }

    /** A stub accepting the token {@code token}. */
    public static AsanaStub start(String token) {
        return new AsanaStub(token);
    }

    /** The hex HMAC-SHA256 of {@code body} with {@code secret}: Asana's {@code X-Hook-Signature}. */
    public static String sign(String secret, String body) {
        return hexHmac("HmacSHA256", secret, body);
    }

    /**
     * A webhook delivery of one event per task, {@code action} ({@code changed}, {@code added}) on each,
     * as Asana posts it: {@code {"events": [{"user": {"gid", "resource_type": "user"}, "created_at",
     * "action", "resource": {"gid", "resource_type": "task", "resource_subtype": "default_task"},
     * "parent": null, "change": {"field": "name", "action": "changed"}}]}} (no {@code change} but the
     * project as {@code parent} for {@code added}); none for a heartbeat.
     */
    public static String events(String action, String... taskGids) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (String gid : taskGids) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("user", Map.of("gid", "1204000000000007", "resource_type", "user"));
            event.put("created_at", Instant.now().toString());
            event.put("action", action);
            event.put("resource", Map.of("gid", gid, "resource_type", "task", "resource_subtype", "default_task"));
            event.put("parent", action.equals("added") ? Map.of("gid", "1204000000000002", "resource_type", "project") : null);
            if (action.equals("changed")) {
                event.put("change", Map.of("field", "name", "action", "changed"));
            }
            events.add(event);
        }
        try {
            return JSON.writeValueAsString(Map.of("events", events));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A project of the workspace, whose tasks are listed at {@code /projects/{gid}/tasks}. */
    public void addProject(String gid, String name) {
        projects.put(gid, name);
    }

    /** A task Asana has already, in {@code project}; its gid. */
    public String add(String project, Map<String, Object> fields) {
        String gid = Long.toString(gids.incrementAndGet());
        String now = Instant.now().toString();
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("gid", gid);
        task.put("resource_type", "task");
        task.put("resource_subtype", "default_task");
        task.put("name", "");
        task.put("notes", "");
        task.put("completed", false);
        task.putAll(fields);
        task.put("workspace", Map.of("gid", WORKSPACE, "resource_type", "workspace", "name", "Syncline"));
        task.put("projects", project == null ? List.of()
                : List.of(Map.of("gid", project, "resource_type", "project", "name", projects.getOrDefault(project, ""))));
        task.put("created_at", now);
        task.put("modified_at", now);
        tasks.put(gid, task);
        return gid;
    }

    public Map<String, Object> task(String gid) {
        return tasks.get(gid);
    }

    /** Asana's error body: {@code {"errors": [{"message", "help"}]}}. */
    public static Map<String, Object> error(String message) {
        return Map.of("errors", List.of(Map.of("message", message, "help", HELP)));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            HubSpotStub.Received request = received.record(exchange);
            String method = request.method();
            String path = request.path();
            if (unauthorized(exchange, authorization, error("Not Authorized"))) {
                return;
            }
            if (ahead.answered(exchange, method, path,
                    error("You've made too many requests and hit a rate limit. Please retry after the given amount of time."),
                    () -> Map.of("Retry-After", "1"))) {
                return;
            }
            Matcher listed = PROJECT_TASKS.matcher(path);
            Matcher one = TASK.matcher(path);
            if (listed.matches() && method.equals("GET")) {
                list(exchange, listed.group(1), StubHttp.form(exchange.getRequestURI().getRawQuery()));
            } else if (path.equals(TASKS) && method.equals("POST")) {
                create(exchange, data(request.body()));
            } else if (path.equals(WEBHOOKS) && method.equals("POST")) {
                createWebhook(exchange, data(request.body()));
            } else if (one.matches() && List.of("GET", "PUT", "DELETE").contains(method)) {
                Map<String, Object> task = tasks.get(one.group(1));
                if (task == null) {
                    StubHttp.sendJson(exchange, 404, error("task: Unknown object: " + one.group(1)), Map.of());
                } else if (method.equals("PUT")) {
                    update(exchange, task, data(request.body()));
                } else if (method.equals("DELETE")) {
                    tasks.remove(one.group(1));
                    StubHttp.sendJson(exchange, 200, Map.of("data", Map.of()), Map.of());
                } else {
                    StubHttp.sendJson(exchange, 200, Map.of("data", task), Map.of());
                }
            } else {
                StubHttp.sendJson(exchange, 404, error("No matching route for request"), Map.of());
            }
        }
    }

    /**
     * {@code POST /webhooks}, as Asana makes one: while the request waits, a handshake is posted to the
     * target with a new secret in {@code X-Hook-Secret} and no body; only a 200 or 204 answer carrying the
     * same header keeps the webhook (201 with it and the secret), anything else is a 400.
     */
    private void createWebhook(HttpExchange exchange, Map<String, Object> data) throws IOException {
        Object resource = data == null ? null : data.get("resource");
        Object target = data == null ? null : data.get("target");
        if (resource == null || target == null) {
            StubHttp.sendJson(exchange, 400, error((resource == null ? "resource" : "target") + ": Missing input"), Map.of());
            return;
        }
        if (!projects.containsKey(resource.toString())) {
            StubHttp.sendJson(exchange, 404, error("resource: Unknown object: " + resource), Map.of());
            return;
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String secret = HexFormat.of().formatHex(random);
        HttpResponse<String> answer;
        try {
            answer = client.send(HttpRequest.newBuilder(URI.create(target.toString())).timeout(Duration.ofSeconds(10))
                    .header("X-Hook-Secret", secret).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        if ((answer.statusCode() != 200 && answer.statusCode() != 204)
                || !secret.equals(answer.headers().firstValue("X-Hook-Secret").orElse(null))) {
            StubHttp.sendJson(exchange, 400, error("The remote server did not respond with the handshake secret."), Map.of());
            return;
        }
        String gid = Long.toString(gids.incrementAndGet());
        hooks.put(gid, new Hook(gid, resource.toString(), target.toString(), secret));
        Map<String, Object> webhook = new LinkedHashMap<>();
        webhook.put("gid", gid);
        webhook.put("resource_type", "webhook");
        webhook.put("active", false);
        webhook.put("resource", Map.of("gid", resource, "resource_type", "project", "name", projects.get(resource.toString())));
        webhook.put("target", target);
        webhook.put("created_at", Instant.now().toString());
        webhook.put("last_success_at", null);
        webhook.put("last_failure_at", null);
        webhook.put("last_failure_content", "");
        StubHttp.sendJson(exchange, 201, Map.of("data", webhook, "X-Hook-Secret", secret), Map.of());
    }

    /** The webhooks Asana keeps. */
    public List<Hook> hooks() {
        return List.copyOf(hooks.values());
    }

    /** Posts {@code body} to the webhook's target, signed with its secret as Asana signs; the answer's status. */
    public int deliver(Hook hook, String body) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(hook.target())).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").header("X-Hook-Signature", sign(hook.secret(), body))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The record in a request's {@code {"data": {…}}}; null where the body has none. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(String body) throws IOException {
        Object data = body == null || body.isBlank() ? null : JSON.readValue(body, Map.class).get("data");
        return data instanceof Map<?, ?> map ? new LinkedHashMap<>((Map<String, Object>) map) : null;
    }

    private void list(HttpExchange exchange, String project, Map<String, String> query) throws IOException {
        if (!projects.containsKey(project)) {
            StubHttp.sendJson(exchange, 404, error("project: Unknown object: " + project), Map.of());
            return;
        }
        List<Map<String, Object>> all = tasks.values().stream().filter(task -> inProject(task, project)).toList();
        if (!query.containsKey("limit")) {
            send(exchange, all, 0, all.size(), null);
            return;
        }
        int limit;
        try {
            limit = Integer.parseInt(query.get("limit"));
        } catch (NumberFormatException e) {
            limit = 0;
        }
        if (limit < 1 || limit > MAX_PAGE) {
            StubHttp.sendJson(exchange, 400, error("limit: Must be between 1 and " + MAX_PAGE + ": " + query.get("limit")), Map.of());
            return;
        }
        int from = 0;
        if (query.containsKey("offset")) {
            String[] token = new String(Base64.getUrlDecoder().decode(query.get("offset")), StandardCharsets.UTF_8).split(":");
            if (token.length != 2 || !token[0].equals(project)) {
                StubHttp.sendJson(exchange, 400, error("offset: Your pagination token is invalid."), Map.of());
                return;
            }
            // the page goes on after the last task of the one before, whatever was added since
            from = (int) all.stream().filter(task -> task.get("gid").toString().compareTo(token[1]) <= 0).count();
        }
        int to = Math.min(all.size(), from + limit);
        String next = null;
        if (to < all.size()) {
            next = Base64.getUrlEncoder().withoutPadding().encodeToString((project + ":" + all.get(to - 1).get("gid"))
                    .getBytes(StandardCharsets.UTF_8));
        }
        send(exchange, all, from, to, next == null ? null : Map.of("offset", next,
                "path", "/projects/" + project + "/tasks?limit=" + limit + "&offset=" + next,
                "uri", "https://app.asana.com/api/1.0/projects/" + project + "/tasks?limit=" + limit + "&offset=" + next));
    }

    private static void send(HttpExchange exchange, List<Map<String, Object>> all, int from, int to, Map<String, Object> next)
            throws IOException {
        List<Map<String, Object>> page = new ArrayList<>();
        for (Map<String, Object> task : all.subList(Math.min(from, to), to)) {
            Map<String, Object> compact = new LinkedHashMap<>();
            for (String field : List.of("gid", "resource_type", "name", "resource_subtype")) {
                compact.put(field, task.get(field));
            }
            page.add(compact);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("data", page);
        answer.put("next_page", next);
        StubHttp.sendJson(exchange, 200, answer, Map.of());
    }

    private static boolean inProject(Map<String, Object> task, String project) {
        return task.get("projects") instanceof List<?> list && list.stream()
                .anyMatch(each -> each instanceof Map<?, ?> map && project.equals(map.get("gid")));
    }

    @SuppressWarnings("unchecked")
    private synchronized void create(HttpExchange exchange, Map<String, Object> data) throws IOException {
        if (data == null) {
            StubHttp.sendJson(exchange, 400, error("data: Missing input"), Map.of());
            return;
        }
        List<Object> named = data.get("projects") instanceof List<?> list ? (List<Object>) list : List.of();
        if (named.isEmpty() && data.get("workspace") == null && data.get("parent") == null) {
            StubHttp.sendJson(exchange, 400, error("You should specify one of workspace, parent, projects"), Map.of());
            return;
        }
        for (Object project : named) {
            if (!projects.containsKey(String.valueOf(project))) {
                StubHttp.sendJson(exchange, 404, error("projects: [0]: Unknown object: " + project), Map.of());
                return;
            }
        }
        Map<String, Object> fields = new LinkedHashMap<>(data);
        fields.keySet().removeAll(Set.of("gid", "resource_type", "projects", "workspace", "created_at", "modified_at"));
        String gid = add(named.isEmpty() ? null : String.valueOf(named.get(0)), fields);
        StubHttp.sendJson(exchange, 201, Map.of("data", tasks.get(gid)), Map.of());
    }

    private synchronized void update(HttpExchange exchange, Map<String, Object> task, Map<String, Object> data) throws IOException {
        if (data == null) {
            StubHttp.sendJson(exchange, 400, error("data: Missing input"), Map.of());
            return;
        }
        for (String field : data.keySet()) {
            if (CREATE_ONLY.contains(field)) {
                StubHttp.sendJson(exchange, 400, error(field + ": Cannot write this property on an existing task"), Map.of());
                return;
            }
        }
        data.forEach((field, value) -> {
            if (!field.equals("gid") && !field.equals("resource_type")) {
                task.put(field, value);
            }
        });
        task.put("modified_at", Instant.now().toString());
        StubHttp.sendJson(exchange, 200, Map.of("data", task), Map.of());
    }
}
