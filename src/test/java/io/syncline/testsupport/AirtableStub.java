package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An Airtable base's tables, Web API v0, as Airtable's reference pages describe them
 * (airtable.com/developers/web/api: authentication, rate limits, errors, list records, get, create,
 * update and delete records, the field model), in the test JVM (JDK HttpServer on a free port), under
 * the server's path {@code /v0}. Airtable publishes no OpenAPI description; every request is kept and
 * the stub refuses, as Airtable does, what those pages say it refuses.
 * <ul>
 *   <li>Auth: a bearer token, else 401 {@code {"error": {"type": "AUTHENTICATION_REQUIRED", "message"}}},
 *   the shape of every error here.</li>
 *   <li>{@code GET /v0/{base}/{table}?pageSize&offset&filterByFormula&sort[0][field]&sort[0][direction]}:
 *   {@code {"records": [{"id", "createdTime", "fields"}], "offset"}}, {@code offset} left out of the last
 *   page, in creation order unless sorted by a field; {@code pageSize} 1 to 100, an offset the stub did
 *   not give, or a formula other than {@code NOT(IS_BEFORE(LAST_MODIFIED_TIME(), '<time>'))}, 422. Empty
 *   fields are left out of a record, as Airtable leaves them out.</li>
 *   <li>{@code POST /v0/{base}/{table}}: {@code {"fields"}} or {@code {"records": [{"fields"}]}} of at most
 *   10; {@code PATCH} the table {@code {"records": [{"id", "fields"}]}} or a record {@code {"fields"}}:
 *   only the fields sent change; a field the table has not, 422 {@code UNKNOWN_FIELD_NAME}; more than
 *   10 records, 422 {@code INVALID_RECORDS}.</li>
 *   <li>{@code GET} and {@code DELETE /v0/{base}/{table}/{id}}: the record; {@code {"id", "deleted": true}};
 *   404 {@code NOT_FOUND} for a record the table has not.</li>
 *   <li>A field of type {@code lastModifiedTime} is set on every create and update, to the
 *   millisecond.</li>
 *   <li>Rate limits: the request {@link #rateLimitNext} names is answered 429
 *   {@code {"errors": [{"error": "RATE_LIMIT_REACHED", "message"}]}} without {@code Retry-After}, and
 *   every request for the base's penalty after it too, as Airtable refuses for 30 seconds.</li>
 * </ul>
 */
public final class AirtableStub extends LoopbackStub {

    public static final String BASE = "/v0";
    /** The most records a create, update or delete request takes, and a page lists. */
    public static final int MOST_RECORDS = 10;
    private static final int MAX_PAGE = 100;
    private static final Pattern TABLE = Pattern.compile(BASE + "/([A-Za-z0-9]+)/([^/]+)");
    private static final Pattern RECORD = Pattern.compile(BASE + "/([A-Za-z0-9]+)/([^/]+)/(rec[A-Za-z0-9]+)");
    private static final Pattern SINCE = Pattern.compile("NOT\\(IS_BEFORE\\(LAST_MODIFIED_TIME\\(\\), '([^']+)'\\)\\)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String authorization;
    private final String base;
    private final Duration penalty;
    /** Each table's fields: name to type. */
    private final Map<String, Map<String, String>> tables = new ConcurrentHashMap<>();
    /** Each table's records in the order they were created. */
    private final Map<String, Map<String, Map<String, Object>>> records = new ConcurrentHashMap<>();
    private final Map<String, Integer> offsets = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger(1000);
    private final AtomicReference<String> limited = new AtomicReference<>();
    private volatile Instant refusingUntil = Instant.MIN;
    private final List<String> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();

    private AirtableStub(String token, String base, Duration penalty) {
        this.authorization = "Bearer " + token;
        this.base = base;
        this.penalty = penalty;
        serve(this::handle, BASE + "/");
    }

    /** A base {@code base} accepting the token {@code token}, refusing every request for {@code penalty} after a 429. */
    public static AirtableStub start(String token, String base, Duration penalty) {
        return new AirtableStub(token, base, penalty);
    }

    /** A table of these fields (name to type: {@code singleLineText}, {@code email}, {@code lastModifiedTime}, …). */
    public void addTable(String table, Map<String, String> fields) {
        tables.put(table, new LinkedHashMap<>(fields));
        records.put(table, java.util.Collections.synchronizedMap(new LinkedHashMap<>()));
    }

    /** A record the table has already, of these fields; its id. */
    public String add(String table, Map<String, Object> fields) {
        String id = "rec" + ids.incrementAndGet() + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", id);
        record.put("createdTime", now());
        record.put("fields", new LinkedHashMap<>());
        records.get(table).put(id, record);
        write(table, record, fields);
        return id;
    }

    /** Changes the record as a user's edit in Airtable does: its fields, and its last-modified time. */
    public void edit(String table, String id, Map<String, Object> fields) {
        write(table, records.get(table).get(id), fields);
    }

    /** The record's fields; null when the table has no such record. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> fields(String table, String id) {
        Map<String, Object> record = records.get(table).get(id);
        return record == null ? null : (Map<String, Object>) record.get("fields");
    }

    /**
     * The next {@code method} request to {@code path} is answered 429, and every request for the
     * penalty after it: one write, not whichever request comes next, since the base is polled meanwhile.
     */
    public void rateLimitNext(String method, String path) {
        limited.set(method + " " + path);
    }

    /**
     * The requests the stub refused as Airtable's reference pages say Airtable refuses them (401, 404,
     * 422), each with its status and reason: none, where every request followed those pages. A scripted
     * answer ({@link #respondNext}) and a 429 are not refusals.
     */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** Answers {@code status} with {@code body}, kept among the {@link #refusals}. */
    private void refuse(HttpExchange exchange, int status, Object body) throws IOException {
        refusals.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + ": " + status + " " + body);
        StubHttp.sendJson(exchange, status, body, Map.of());
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static Map<String, Object> error(String type, String message) {
        return Map.of("error", Map.of("type", type, "message", message));
    }

    @SuppressWarnings("unchecked")
    private void write(String table, Map<String, Object> record, Map<String, Object> fields) {
        Map<String, Object> kept = (Map<String, Object>) record.get("fields");
        fields.forEach((name, value) -> {
            if (value == null || "".equals(value)) {
                kept.remove(name);
            } else {
                kept.put(name, value);
            }
        });
        tables.get(table).forEach((name, type) -> {
            if (type.equals("lastModifiedTime")) {
                kept.put(name, now());
            }
        });
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            HubSpotStub.Received request = received.record(exchange);
            String method = request.method();
            String path = request.path();
            if (unauthorized(exchange, authorization, error("AUTHENTICATION_REQUIRED", "Authentication required"))) {
                refusals.add(method + " " + path + ": 401");
                return;
            }
            if (ahead.answered(exchange, method, path, Map.of(), Map::of)) {
                return;
            }
            String call = method + " " + path;
            if (call.equals(limited.getAndUpdate(named -> call.equals(named) ? null : named))) {
                refusingUntil = Instant.now().plus(penalty);
            }
            if (Instant.now().isBefore(refusingUntil)) {
                StubHttp.sendJson(exchange, 429, Map.of("errors", List.of(Map.of("error", "RATE_LIMIT_REACHED",
                        "message", "Rate limit exceeded. Please try again later"))), Map.of());
                return;
            }
            Matcher one = RECORD.matcher(path);
            Matcher all = TABLE.matcher(path);
            if (one.matches() && base.equals(one.group(1)) && tables.containsKey(decode(one.group(2)))) {
                record(exchange, method, decode(one.group(2)), one.group(3), request.body());
            } else if (all.matches() && base.equals(all.group(1)) && tables.containsKey(decode(all.group(2)))) {
                table(exchange, method, decode(all.group(2)), exchange.getRequestURI().getRawQuery(), request.body());
            } else {
                refuse(exchange, 404, error("NOT_FOUND", "Could not find what you are looking for"));
            }
        }
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(String body) throws IOException {
        return body == null || body.isBlank() ? Map.of() : JSON.readValue(body, Map.class);
    }

    private void record(HttpExchange exchange, String method, String table, String id, String body) throws IOException {
        Map<String, Object> record = records.get(table).get(id);
        if (record == null) {
            refuse(exchange, 404, Map.of("error", "NOT_FOUND"));
        } else if (method.equals("GET")) {
            StubHttp.sendJson(exchange, 200, record, Map.of());
        } else if (method.equals("DELETE")) {
            records.get(table).remove(id);
            StubHttp.sendJson(exchange, 200, Map.of("id", id, "deleted", true), Map.of());
        } else if (method.equals("PATCH")) {
            Map<String, Object> sent = body(body);
            String refused = refused(table, List.of(sent));
            if (refused != null) {
                refuse(exchange, 422, error(refused.substring(0, refused.indexOf(':')), refused.substring(refused.indexOf(':') + 2)));
                return;
            }
            write(table, record, fieldsOf(sent));
            StubHttp.sendJson(exchange, 200, record, Map.of());
        } else {
            refuse(exchange, 404, Map.of("error", "NOT_FOUND"));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fieldsOf(Map<String, Object> record) {
        return record.get("fields") instanceof Map<?, ?> fields ? (Map<String, Object>) fields : Map.of();
    }

    /** Why Airtable refuses these records ({@code TYPE: message}); null where it takes them. */
    private String refused(String table, List<Map<String, Object>> sent) {
        if (sent.size() > MOST_RECORDS) {
            return "INVALID_RECORDS: You may only create or update up to " + MOST_RECORDS + " records per request";
        }
        for (Map<String, Object> record : sent) {
            if (!(record.get("fields") instanceof Map<?, ?> fields)) {
                return "INVALID_REQUEST_MISSING_FIELDS: Could not find field \"fields\" in the request body";
            }
            for (Object name : fields.keySet()) {
                String type = tables.get(table).get(String.valueOf(name));
                if (type == null) {
                    return "UNKNOWN_FIELD_NAME: Unknown field name: \"" + name + "\"";
                }
                if (type.equals("lastModifiedTime")) {
                    return "INVALID_VALUE_FOR_COLUMN: Field \"" + name + "\" cannot accept a value because the field is computed";
                }
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private void table(HttpExchange exchange, String method, String table, String query, String body) throws IOException {
        if (method.equals("GET")) {
            list(exchange, table, StubHttp.form(query));
            return;
        }
        if (!method.equals("POST") && !method.equals("PATCH")) {
            refuse(exchange, 404, Map.of("error", "NOT_FOUND"));
            return;
        }
        Map<String, Object> sent = body(body);
        boolean many = sent.containsKey("records");
        List<Map<String, Object>> given = many ? (List<Map<String, Object>>) sent.get("records") : List.of(sent);
        String refused = refused(table, given);
        if (refused == null && method.equals("PATCH") && (!many
                || given.stream().anyMatch(record -> !records.get(table).containsKey(String.valueOf(record.get("id")))))) {
            refused = "INVALID_RECORDS: An update names a record the table has not";
        }
        if (refused != null) {
            refuse(exchange, 422, error(refused.substring(0, refused.indexOf(':')), refused.substring(refused.indexOf(':') + 2)));
            return;
        }
        List<Map<String, Object>> written = new ArrayList<>();
        for (Map<String, Object> record : given) {
            if (method.equals("POST")) {
                written.add(records.get(table).get(add(table, fieldsOf(record))));
            } else {
                Map<String, Object> kept = records.get(table).get(String.valueOf(record.get("id")));
                write(table, kept, fieldsOf(record));
                written.add(kept);
            }
        }
        StubHttp.sendJson(exchange, 200, many ? Map.of("records", written) : written.get(0), Map.of());
    }

    private void list(HttpExchange exchange, String table, Map<String, String> query) throws IOException {
        int pageSize;
        try {
            pageSize = Integer.parseInt(query.getOrDefault("pageSize", String.valueOf(MAX_PAGE)));
        } catch (NumberFormatException e) {
            pageSize = 0;
        }
        if (pageSize < 1 || pageSize > MAX_PAGE) {
            refuse(exchange, 422, error("INVALID_REQUEST_UNKNOWN", "Invalid request: parameter validation failed."
                    + " Check your request data."));
            return;
        }
        int from = 0;
        if (query.containsKey("offset")) {
            Integer given = offsets.get(query.get("offset"));
            if (given == null) {
                refuse(exchange, 422, error("LIST_RECORDS_ITERATOR_NOT_AVAILABLE", "The offset is not valid"));
                return;
            }
            from = given;
        }
        Instant since = Instant.MIN;
        if (query.containsKey("filterByFormula")) {
            Matcher formula = SINCE.matcher(query.get("filterByFormula"));
            if (!formula.matches()) {
                refuse(exchange, 422, error("INVALID_FILTER_BY_FORMULA", "The formula for filtering records is invalid: "
                        + query.get("filterByFormula")));
                return;
            }
            since = Instant.parse(formula.group(1));
        }
        String sortField = query.get("sort[0][field]");
        if (sortField != null && !tables.get(table).containsKey(sortField)) {
            refuse(exchange, 422, error("UNKNOWN_FIELD_NAME", "Unknown field name: \"" + sortField + "\""));
            return;
        }
        Instant after = since;
        List<Map<String, Object>> all;
        synchronized (records.get(table)) {
            all = new ArrayList<>(records.get(table).values().stream().filter(record -> !modified(table, record).isBefore(after)).toList());
        }
        if (sortField != null) {
            Comparator<Map<String, Object>> order = Comparator.comparing(record -> String.valueOf(fieldsOf(record).get(sortField)));
            all.sort("desc".equals(query.get("sort[0][direction]")) ? order.reversed() : order);
        }
        int to = Math.min(all.size(), from + pageSize);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("records", all.subList(Math.min(from, to), to));
        if (to < all.size()) {
            String offset = "itr" + UUID.randomUUID().toString().replace("-", "").substring(0, 14) + "/rec" + to;
            offsets.put(offset, to);
            answer.put("offset", offset);
        }
        StubHttp.sendJson(exchange, 200, answer, Map.of());
    }

    /** The record's last modification: its last-modified-time field's, else its creation's. */
    private Instant modified(String table, Map<String, Object> record) {
        for (Map.Entry<String, String> field : tables.get(table).entrySet()) {
            if (field.getValue().equals("lastModifiedTime") && fieldsOf(record).get(field.getKey()) != null) {
                return Instant.parse(fieldsOf(record).get(field.getKey()).toString());
            }
        }
        return Instant.parse(record.get("createdTime").toString());
    }
}
