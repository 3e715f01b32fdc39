package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Harvest account's time entries, API v2, as Harvest's reference pages describe them
 * (help.getharvest.com/api-v2: the overview, authentication, pagination and rate limiting, and
 * Timesheets → Time Entries), in the test JVM (JDK HttpServer on a free port), under the server's
 * path {@code /v2}. Harvest publishes no OpenAPI description; every request is kept, for a test to
 * check against the one generated from those pages ({@link ApiDescription}).
 * <ul>
 *   <li>Auth: a bearer token and the account's {@code Harvest-Account-Id}; anything else 401
 *   {@code {"error": "invalid_token", "error_description": …}}. A request without a
 *   {@code User-Agent} is answered 400.</li>
 *   <li>{@code GET /v2/time_entries?page=…&per_page=…&updated_since=…}: the entries updated at or after
 *   {@code updated_since}, sorted by {@code spent_date} (newest first) as Harvest sorts them, whatever
 *   their {@code updated_at}, as {@code {"time_entries": […], "per_page", "total_pages",
 *   "total_entries", "next_page", "previous_page", "page", "links": {"first", "next", "previous",
 *   "last"}}}, {@code links.next} null on the last page; {@code per_page} 1 to 2000, else 422.</li>
 *   <li>{@code POST /v2/time_entries}: 201 with the entry; {@code project_id}, {@code task_id} and
 *   {@code spent_date} required, and the project and task the account's, else 422
 *   {@code {"message": …}}.</li>
 *   <li>{@code GET}, {@code PATCH} and {@code DELETE /v2/time_entries/{id}}: the entry; an update
 *   changes only what it sends; a delete answers 200; 404 for an entry the account has not.</li>
 *   <li>Rate limits: the request {@link #rateLimitNext} names is answered 429 with {@code Retry-After}
 *   (seconds), as Harvest answers beyond 100 requests in 15 seconds.</li>
 * </ul>
 */
public final class HarvestStub extends LoopbackStub {

    public static final String BASE = "/v2";
    public static final String TIME_ENTRIES = BASE + "/time_entries";
    private static final Pattern ONE = Pattern.compile(TIME_ENTRIES + "/([0-9]+)");
    private static final int MAX_PAGE = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> REFUSED = Map.of("error", "invalid_token", "error_description",
            "The access token provided is expired, revoked, malformed or invalid for other reasons.");

    private final String authorization;
    private final String account;
    private final Map<Long, Map<String, Object>> entries = new ConcurrentSkipListMap<>();
    private final Map<Long, String> projects = new ConcurrentSkipListMap<>();
    private final Map<Long, String> tasks = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong(636_708_000L);
    private final ScriptedAnswers ahead = new ScriptedAnswers();

    private HarvestStub(String token, String account) {
        this.authorization = "Bearer " + token;
        this.account = account;
        serve(this::handle, BASE + "/");
    }

    /** An account {@code account} accepting the token {@code token}. */
    public static HarvestStub start(String token, String account) {
        return new HarvestStub(token, account);
    }

    /** A project of the account, with one of its tasks. */
    public void addProject(long project, String name, long task, String taskName) {
        projects.put(project, name);
        tasks.put(task, taskName);
    }

    /** A time entry the account has already, in {@code project} and {@code task}; its id. */
    public long add(long project, long task, LocalDate spent, Map<String, Object> fields, Instant updated) {
        long id = ids.incrementAndGet();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", id);
        entry.put("spent_date", spent.toString());
        entry.put("user", Map.of("id", 1_782_959, "name", "Kim Allen"));
        entry.put("client", Map.of("id", 5_735_776, "name", "123 Industries"));
        entry.put("project", Map.of("id", project, "name", projects.getOrDefault(project, "")));
        entry.put("task", Map.of("id", task, "name", tasks.getOrDefault(task, "")));
        entry.put("hours", 0.0);
        entry.put("notes", null);
        entry.put("is_locked", false);
        entry.put("is_running", false);
        entry.put("billable", true);
        entry.putAll(fields);
        entry.put("created_at", stamp(updated));
        entry.put("updated_at", stamp(updated));
        entries.put(id, entry);
        return id;
    }

    /** The entry {@code id}; null when the account has none. */
    public Map<String, Object> entry(long id) {
        return entries.get(id);
    }

    /** Changes the entry as a user's edit in Harvest does: its fields, and its {@code updated_at}. */
    public void edit(long id, Map<String, Object> fields, Instant updated) {
        Map<String, Object> entry = entries.get(id);
        entry.putAll(fields);
        entry.put("updated_at", stamp(updated));
    }

    /**
     * The next {@code method} request to {@code path} is answered 429 with {@code Retry-After}: one
     * write, not whichever request comes next, since the account is polled meanwhile.
     */
    public void rateLimitNext(String method, String path) {
        ahead.respondNext(method, path, 429, error("Too Many Requests"), Map.of("Retry-After", "1"));
    }

    /** The next {@code method} request to {@code path} is answered so, whatever it asks. */
    public void respondNext(String method, String path, int status, Object body) {
        ahead.respondNext(method, path, status, body);
    }

    /** Harvest's error body: {@code {"message": …}}. */
    public static Map<String, Object> error(String message) {
        return Map.of("message", message);
    }

    /** Harvest's times: ISO 8601 in UTC, to the second. */
    private static String stamp(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            HubSpotStub.Received request = received.record(exchange);
            String method = request.method();
            String path = request.path();
            if (unauthorized(exchange, authorization, REFUSED)) {
                return;
            }
            if (!account.equals(request.header("Harvest-Account-Id"))) {
                StubHttp.sendJson(exchange, 401, REFUSED, Map.of());
                return;
            }
            if (request.header("User-Agent") == null) {
                StubHttp.sendJson(exchange, 400, error("A User-Agent header is required"), Map.of());
                return;
            }
            if (ahead.answered(exchange, method, path, error("Too Many Requests"), Map::of)) {
                return;
            }
            Matcher one = ONE.matcher(path);
            if (path.equals(TIME_ENTRIES) && method.equals("GET")) {
                list(exchange, StubHttp.form(exchange.getRequestURI().getRawQuery()));
            } else if (path.equals(TIME_ENTRIES) && method.equals("POST")) {
                create(exchange, body(request.body()));
            } else if (one.matches() && List.of("GET", "PATCH", "DELETE").contains(method)) {
                Map<String, Object> entry = entries.get(Long.parseLong(one.group(1)));
                if (entry == null) {
                    StubHttp.sendJson(exchange, 404, error("Not found"), Map.of());
                } else if (method.equals("PATCH")) {
                    update(exchange, entry, body(request.body()));
                } else if (method.equals("DELETE")) {
                    entries.remove(Long.parseLong(one.group(1)));
                    exchange.sendResponseHeaders(200, -1);
                } else {
                    StubHttp.sendJson(exchange, 200, entry, Map.of());
                }
            } else {
                StubHttp.sendJson(exchange, 404, error("Not found"), Map.of());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(String body) throws IOException {
        return body == null || body.isBlank() ? Map.of() : JSON.readValue(body, Map.class);
    }

    private void list(HttpExchange exchange, Map<String, String> query) throws IOException {
        int perPage;
        int page;
        try {
            perPage = Integer.parseInt(query.getOrDefault("per_page", String.valueOf(MAX_PAGE)));
            page = Integer.parseInt(query.getOrDefault("page", "1"));
        } catch (NumberFormatException e) {
            perPage = 0;
            page = 0;
        }
        if (perPage < 1 || perPage > MAX_PAGE || page < 1) {
            StubHttp.sendJson(exchange, 422, error("per_page must be between 1 and " + MAX_PAGE), Map.of());
            return;
        }
        Instant since = query.containsKey("updated_since") ? Instant.parse(query.get("updated_since")) : Instant.EPOCH;
        List<Map<String, Object>> all = entries.values().stream()
                .filter(entry -> !Instant.parse((String) entry.get("updated_at")).isBefore(since))
                .sorted(Comparator.comparing((Map<String, Object> entry) -> (String) entry.get("spent_date")).reversed()
                        .thenComparing(entry -> -((Number) entry.get("id")).longValue()))
                .toList();
        int pages = Math.max(1, (all.size() + perPage - 1) / perPage);
        int from = Math.min(all.size(), (page - 1) * perPage);
        List<Map<String, Object>> listed = new ArrayList<>(all.subList(from, Math.min(all.size(), from + perPage)));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("time_entries", listed);
        answer.put("per_page", perPage);
        answer.put("total_pages", pages);
        answer.put("total_entries", all.size());
        answer.put("next_page", page < pages ? page + 1 : null);
        answer.put("previous_page", page > 1 ? page - 1 : null);
        answer.put("page", page);
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("first", pageUrl(query, 1, perPage));
        links.put("next", page < pages ? pageUrl(query, page + 1, perPage) : null);
        links.put("previous", page > 1 ? pageUrl(query, page - 1, perPage) : null);
        links.put("last", pageUrl(query, pages, perPage));
        answer.put("links", links);
        StubHttp.sendJson(exchange, 200, answer, Map.of());
    }

    /** A page's address as Harvest links it: the list's own filters, with the page and its size. */
    private String pageUrl(Map<String, String> query, int page, int perPage) {
        StringBuilder url = new StringBuilder(baseUrl() + TIME_ENTRIES + "?page=" + page + "&per_page=" + perPage);
        if (query.containsKey("updated_since")) {
            url.append("&updated_since=").append(query.get("updated_since"));
        }
        return url.toString();
    }

    private synchronized void create(HttpExchange exchange, Map<String, Object> body) throws IOException {
        Object project = body.get("project_id");
        Object task = body.get("task_id");
        if (!(project instanceof Number) || !projects.containsKey(((Number) project).longValue())) {
            StubHttp.sendJson(exchange, 422, error("Project can't be blank"), Map.of());
            return;
        }
        if (!(task instanceof Number) || !tasks.containsKey(((Number) task).longValue())) {
            StubHttp.sendJson(exchange, 422, error("Task can't be blank"), Map.of());
            return;
        }
        if (body.get("spent_date") == null) {
            StubHttp.sendJson(exchange, 422, error("Spent date can't be blank"), Map.of());
            return;
        }
        Map<String, Object> fields = new LinkedHashMap<>(body);
        fields.keySet().removeAll(List.of("project_id", "task_id", "spent_date", "user_id"));
        long id = add(((Number) project).longValue(), ((Number) task).longValue(), LocalDate.parse((String) body.get("spent_date")),
                fields, Instant.now());
        StubHttp.sendJson(exchange, 201, entries.get(id), Map.of());
    }

    private synchronized void update(HttpExchange exchange, Map<String, Object> entry, Map<String, Object> body) throws IOException {
        body.forEach((field, value) -> {
            if (field.equals("project_id")) {
                entry.put("project", Map.of("id", value, "name", projects.getOrDefault(((Number) value).longValue(), "")));
            } else if (field.equals("task_id")) {
                entry.put("task", Map.of("id", value, "name", tasks.getOrDefault(((Number) value).longValue(), "")));
            } else if (!field.equals("id")) {
                entry.put(field, value);
            }
        });
        entry.put("updated_at", stamp(Instant.now()));
        StubHttp.sendJson(exchange, 200, entry, Map.of());
    }
}
