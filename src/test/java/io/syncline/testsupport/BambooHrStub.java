package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A BambooHR company's employees, as BambooHR's published OpenAPI description ({@code public.yaml}) and its
 * reference pages describe them, in the test JVM (JDK HttpServer on a free port). Every request is kept, for
 * a test to check against that description ({@link ApiDescription}).
 * <ul>
 *   <li>Auth: Basic, the API key as the user and any password; anything else 401 with an empty body and the
 *   reason in {@code X-BambooHR-Error-Message}, where BambooHR gives every error's reason.</li>
 *   <li>{@code GET /api/v1/employees?page[limit]=…&page[after]=…}: the employees in id order as
 *   {@code {"data": [{"employeeId", "firstName", "lastName", "preferredName", "photoUrl", "jobTitleName",
 *   "status", "_restrictedFields"}], "meta": {"total", "page": {"limit", "nextCursor", "prevCursor"}},
 *   "_links": {"self", "next"}}}, {@code next} left out of the last page; {@code page[limit]} 1 to 2500,
 *   250 unless asked.</li>
 *   <li>{@code GET /api/v1/employees/{id}?fields=…}: {@code id} and the fields asked for (first and last name
 *   where none are); 404 for an employee the company has not.</li>
 *   <li>{@code POST /api/v1/employees}: 201 with no body and {@code Location} the employee's page in the web
 *   application; no {@code firstName} or {@code lastName} 400, a {@code workEmail} another employee has 409.
 *   {@code POST /api/v1/employees/{id}}: the fields sent changed, 200 with no body.</li>
 *   <li>Rate limits: while {@link #rateLimitNext} is set, 429 with {@code Retry-After}.</li>
 *   <li>Webhooks: {@link #event} writes an event-based webhook's delivery, and {@link #sign} its
 *   {@code X-BambooHR-Signature}: the hex HMAC-SHA256 of the body followed by the {@code X-BambooHR-Timestamp}
 *   header's value, keyed with the webhook's private key.</li>
 * </ul>
 */
public final class BambooHrStub extends LoopbackStub {

    public static final String EMPLOYEES = "/api/v1/employees";
    public static final String ERROR_HEADER = "X-BambooHR-Error-Message";
    private static final Pattern ONE = Pattern.compile(EMPLOYEES + "/(\\d+)");
    private static final int DEFAULT_PAGE = 250;
    private static final int MAX_PAGE = 2500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String apiKey;
    private final Map<Long, Map<String, Object>> employees = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong(100);

    private BambooHrStub(String apiKey) {
        this.apiKey = apiKey;
        serve(this::handle, EMPLOYEES);
    }

    /** A company accepting the API key {@code apiKey}. */
    public static BambooHrStub start(String apiKey) {
        return new BambooHrStub(apiKey);
    }

    /** The hex HMAC-SHA256 of {@code body} followed by {@code timestamp}, keyed with {@code privateKey}: {@code X-BambooHR-Signature}. */
    public static String sign(String privateKey, String body, String timestamp) {
        return hexHmac("HmacSHA256", privateKey, body, timestamp);
    }

    /** An event-based webhook's delivery: {@code {"type", "timestamp", "data": {"companyId", "employeeId", "changedFields"}}}. */
    public static String event(String type, String employeeId, List<String> changedFields) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("companyId", "12345");
        data.put("employeeId", employeeId);
        data.put("changedFields", changedFields);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("timestamp", Instant.now().toString());
        event.put("data", data);
        try {
            return JSON.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An employee the company has already, with {@code fields}; its id. */
    public String add(Map<String, Object> fields) {
        long id = ids.incrementAndGet();
        Map<String, Object> employee = new LinkedHashMap<>();
        employee.put("id", Long.toString(id));
        employee.put("status", "Active");
        employee.putAll(fields);
        employees.put(id, employee);
        return Long.toString(id);
    }

    /** The employee {@code id} with every field it has; null when the company has none. */
    public Map<String, Object> employee(String id) {
        return employees.get(Long.parseLong(id));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            HubSpotStub.Received request = received.record(exchange);
            String method = request.method();
            String path = request.path();
            if (!authorized(request.header("Authorization"))) {
                refuse(exchange, 401, "Invalid API key");
                return;
            }
            if (ahead.answered(exchange, method, path, Map.of(), () -> Map.of("Retry-After", "1"))) {
                return;
            }
            Map<String, String> query = StubHttp.form(exchange.getRequestURI().getRawQuery());
            Matcher one = ONE.matcher(path);
            if (path.equals(EMPLOYEES) && method.equals("GET")) {
                list(exchange, query);
            } else if (path.equals(EMPLOYEES) && method.equals("POST")) {
                create(exchange, fieldsOf(request.body()));
            } else if (one.matches() && List.of("GET", "POST").contains(method)) {
                Map<String, Object> employee = employees.get(Long.parseLong(one.group(1)));
                if (employee == null) {
                    refuse(exchange, 404, "Employee not found");
                } else if (method.equals("GET")) {
                    read(exchange, employee, query.get("fields"));
                } else {
                    employee.putAll(fieldsOf(request.body()));
                    exchange.sendResponseHeaders(200, -1);
                }
            } else {
                refuse(exchange, 404, "Not found");
            }
        }
    }

    /** {@code Basic <base64 of key:password>}, the password any. */
    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return false;
        }
        String credentials = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
        int colon = credentials.indexOf(':');
        return colon > 0 && credentials.substring(0, colon).equals(apiKey) && colon < credentials.length() - 1;
    }

    /** An error as BambooHR answers one: no body, the reason in {@value #ERROR_HEADER}. */
    private static void refuse(HttpExchange exchange, int status, String reason) throws IOException {
        exchange.getResponseHeaders().set(ERROR_HEADER, reason);
        exchange.sendResponseHeaders(status, -1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fieldsOf(String body) throws IOException {
        return body == null || body.isBlank() ? new LinkedHashMap<>() : new LinkedHashMap<>(JSON.readValue(body, Map.class));
    }

    private void list(HttpExchange exchange, Map<String, String> query) throws IOException {
        int limit = Integer.parseInt(query.getOrDefault("page[limit]", Integer.toString(DEFAULT_PAGE)));
        if (limit < 1 || limit > MAX_PAGE) {
            refuse(exchange, 400, "page[limit] must be between 1 and " + MAX_PAGE);
            return;
        }
        long after = Long.parseLong(query.getOrDefault("page[after]", "0"));
        List<Map<String, Object>> all = employees.entrySet().stream().filter(entry -> entry.getKey() > after)
                .map(Map.Entry::getValue).toList();
        List<Map<String, Object>> page = new ArrayList<>();
        for (Map<String, Object> employee : all.subList(0, Math.min(limit, all.size()))) {
            Map<String, Object> listed = new LinkedHashMap<>();
            listed.put("employeeId", employee.get("id"));
            for (String field : List.of("firstName", "lastName", "preferredName", "photoUrl")) {
                listed.put(field, employee.get(field));
            }
            listed.put("jobTitleName", employee.get("jobTitle"));
            listed.put("status", employee.get("status"));
            listed.put("_restrictedFields", List.of());
            page.add(listed);
        }
        String next = page.size() < all.size() ? (String) page.get(page.size() - 1).get("employeeId") : null;
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("self", Map.of("href", baseUrl() + EMPLOYEES + "?page%5Blimit%5D=" + limit));
        if (next != null) {
            links.put("next", Map.of("href", baseUrl() + EMPLOYEES + "?page%5Blimit%5D=" + limit + "&page%5Bafter%5D=" + next));
        }
        Map<String, Object> pageMeta = new LinkedHashMap<>();
        pageMeta.put("limit", limit);
        pageMeta.put("nextCursor", next);
        pageMeta.put("prevCursor", null);
        StubHttp.sendJson(exchange, 200, Map.of("data", page, "meta", Map.of("total", employees.size(), "page", pageMeta),
                "_links", links), Map.of());
    }

    private static void read(HttpExchange exchange, Map<String, Object> employee, String fields) throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", employee.get("id"));
        for (String field : Arrays.asList((fields == null ? "firstName,lastName" : fields).split(","))) {
            if (!field.isBlank() && !field.equals("id")) {
                answer.put(field.strip(), employee.get(field.strip()));
            }
        }
        StubHttp.sendJson(exchange, 200, answer, Map.of());
    }

    private synchronized void create(HttpExchange exchange, Map<String, Object> fields) throws IOException {
        for (String required : List.of("firstName", "lastName")) {
            if (fields.get(required) == null || String.valueOf(fields.get(required)).isBlank()) {
                refuse(exchange, 400, "Missing required field: " + required);
                return;
            }
        }
        Object email = fields.get("workEmail");
        if (email != null && employees.values().stream().anyMatch(employee -> email.equals(employee.get("workEmail")))) {
            refuse(exchange, 409, "Duplicate email address: " + email);
            return;
        }
        String id = add(fields);
        exchange.getResponseHeaders().set("Location", baseUrl() + "/employees/employee.php?id=" + id);
        exchange.sendResponseHeaders(201, -1);
    }
}
