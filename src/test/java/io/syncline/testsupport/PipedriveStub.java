package io.syncline.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pipedrive's API v2 list of persons as documented, in the test JVM (JDK HttpServer on a free
 * port): {@code GET /api/v2/persons} (developers.pipedrive.com, Persons: "Get all persons";
 * pipedrive.readme.io, "Pagination" and "Rate limiting").
 * <ul>
 *   <li>An API token in the {@code x-api-token} header (or the {@code api_token} parameter);
 *   without it 401 and Pipedrive's error body.</li>
 *   <li>{@code updated_since} (RFC 3339): only persons whose {@code update_time} is later than or
 *   equal to it; {@code updated_until}: earlier than it; an unreadable time is a 400.</li>
 *   <li>{@code sort_by} {@code id} (default), {@code update_time} or {@code add_time};
 *   {@code sort_direction} {@code asc} (default) or {@code desc}; ties in the order of {@code id}.</li>
 *   <li>Cursor pagination: {@code limit} (default 100, at most 500, else 400) and {@code cursor},
 *   an opaque marker of the next page's first item, answered as
 *   {@code additional_data.next_cursor} while more follow and null on the last page.</li>
 *   <li>Persons in v2's shape, times in RFC 3339 to the second: {@code id}, {@code name},
 *   {@code first_name}, {@code last_name}, {@code emails}, {@code add_time}, {@code update_time},
 *   {@code is_deleted}, {@code owner_id}, {@code visible_to}.</li>
 *   <li>While rate-limited ({@link #rateLimitNext}): 429 with {@code Retry-After} (seconds until
 *   the window resets) and the {@code x-ratelimit-*} headers.</li>
 * </ul>
 * Tests set persons with the update time they choose, and read every request the stub answered.
 */
public final class PipedriveStub implements AutoCloseable {

    public static final String PERSONS = "/api/v2/persons";
    private static final int MAX_LIMIT = 500;

    /** A request as answered: its query, its status and when it arrived. */
    public record Answered(String query, int status, Instant at) {

        /** The value of a query parameter, decoded, or null. */
        public String parameter(String name) {
            return parse(query).get(name);
        }
    }

    private final HttpServer server;
    private final String token;
    private final Map<Long, Map<String, Object>> persons = new ConcurrentHashMap<>();
    private final List<Answered> answered = new CopyOnWriteArrayList<>();
    private final AtomicInteger rateLimited = new AtomicInteger();
    private volatile long retryAfterSeconds = 1;

    private PipedriveStub(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(PERSONS, this::persons);
        server.start();
    }

    /** A stub that accepts {@code token}. */
    public static PipedriveStub start(String token) {
        try {
            return new PipedriveStub(token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Creates person {@code id}, or changes it, as of {@code updateTime} (Pipedrive keeps whole seconds). */
    public void put(long id, String firstName, String lastName, Instant updateTime) {
        String updated = updateTime.truncatedTo(ChronoUnit.SECONDS).toString();
        persons.compute(id, (key, known) -> {
            Map<String, Object> person = new LinkedHashMap<>();
            person.put("id", id);
            person.put("name", firstName + " " + lastName);
            person.put("first_name", firstName);
            person.put("last_name", lastName);
            person.put("emails", List.of(Map.of("value", firstName.toLowerCase() + "." + id + "@example.com", "primary", true,
                    "label", "work")));
            person.put("add_time", known == null ? updated : known.get("add_time"));
            person.put("update_time", updated);
            person.put("is_deleted", false);
            person.put("owner_id", 123);
            person.put("visible_to", 3);
            return person;
        });
    }

    /** The next {@code requests} requests are answered 429, asking to come back after {@code seconds}. */
    public void rateLimitNext(int requests, long seconds) {
        retryAfterSeconds = seconds;
        rateLimited.set(requests);
    }

    public List<Answered> answered() {
        return List.copyOf(answered);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void persons(HttpExchange exchange) throws IOException {
        try (exchange) {
            String raw = exchange.getRequestURI().getRawQuery();
            Map<String, String> query = parse(raw);
            int status = answer(exchange, query);
            answered.add(new Answered(raw == null ? "" : raw, status, Instant.now()));
        }
    }

    private int answer(HttpExchange exchange, Map<String, String> query) throws IOException {
        if (!exchange.getRequestMethod().equals("GET")) {
            return send(exchange, 405, error("Method not allowed", 405), Map.of());
        }
        if (!token.equals(exchange.getRequestHeaders().getFirst("x-api-token")) && !token.equals(query.get("api_token"))) {
            return send(exchange, 401, error("unauthorized access", 401), Map.of());
        }
        if (rateLimited.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return send(exchange, 429, error("Request over limit", 429), Map.of("Retry-After", Long.toString(retryAfterSeconds),
                    "x-ratelimit-limit", "40", "x-ratelimit-remaining", "0", "x-ratelimit-reset", Long.toString(retryAfterSeconds)));
        }
        int limit;
        Instant since;
        Instant until;
        try {
            limit = Integer.parseInt(query.getOrDefault("limit", "100"));
            since = query.containsKey("updated_since") ? Instant.parse(query.get("updated_since")) : null;
            until = query.containsKey("updated_until") ? Instant.parse(query.get("updated_until")) : null;
        } catch (NumberFormatException | DateTimeParseException e) {
            return send(exchange, 400, error("Validation failed: " + e.getMessage(), 400), Map.of());
        }
        String sortBy = query.getOrDefault("sort_by", "id");
        String direction = query.getOrDefault("sort_direction", "asc");
        if (limit < 1 || limit > MAX_LIMIT || !List.of("id", "update_time", "add_time").contains(sortBy)
                || !List.of("asc", "desc").contains(direction)) {
            return send(exchange, 400, error("Validation failed: limit must be 1 to " + MAX_LIMIT
                    + ", sort_by one of id, update_time, add_time, sort_direction asc or desc", 400), Map.of());
        }
        Comparator<Map<String, Object>> byId = Comparator.comparing(person -> (Long) person.get("id"));
        Comparator<Map<String, Object>> order = sortBy.equals("id") ? byId : Comparator.<Map<String, Object>, Instant>comparing(
                person -> Instant.parse((String) person.get(sortBy))).thenComparing(byId);
        if (direction.equals("desc")) {
            order = order.reversed();
        }
        List<Map<String, Object>> matching = persons.values().stream()
                .filter(person -> since == null || !Instant.parse((String) person.get("update_time")).isBefore(since))
                .filter(person -> until == null || Instant.parse((String) person.get("update_time")).isBefore(until))
                .map(LinkedHashMap::new).map(person -> (Map<String, Object>) person).sorted(order).toList();
        int from = 0;
        if (query.containsKey("cursor")) {
            // a keyset marker: the page starts at the first person not before it in the listing's order
            String[] marker = new String(Base64.getUrlDecoder().decode(query.get("cursor")), StandardCharsets.UTF_8).split("\\|");
            Map<String, Object> first = new LinkedHashMap<>(Map.of("id", Long.parseLong(marker[1])));
            first.put(sortBy, sortBy.equals("id") ? Long.parseLong(marker[0]) : marker[0]);
            while (from < matching.size() && order.compare(matching.get(from), first) < 0) {
                from++;
            }
        }
        List<Map<String, Object>> page = matching.subList(from, Math.min(matching.size(), from + limit));
        Map<String, Object> additional = new LinkedHashMap<>();
        additional.put("next_cursor", from + limit < matching.size() ? Base64.getUrlEncoder().withoutPadding()
                .encodeToString(marker(matching.get(from + limit), sortBy).getBytes(StandardCharsets.UTF_8)) : null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("data", page);
        body.put("additional_data", additional);
        return send(exchange, 200, body, Map.of("x-ratelimit-limit", "40", "x-ratelimit-remaining", "39", "x-ratelimit-reset", "2"));
    }

    /** The opaque marker of a person in a listing's order: its sort value and id. */
    private static String marker(Map<String, Object> person, String sortBy) {
        return person.get(sortBy.equals("id") ? "id" : sortBy) + "|" + person.get("id");
    }

    private static Map<String, Object> error(String message, int code) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("success", false);
        error.put("error", message);
        error.put("errorCode", code);
        error.put("error_info", "Please check developers.pipedrive.com for more information about Pipedrive API.");
        error.put("data", null);
        error.put("additional_data", null);
        return error;
    }

    private static int send(HttpExchange exchange, int status, Object body, Map<String, String> headers) throws IOException {
        StubHttp.sendJson(exchange, status, body, headers);
        return status;
    }

    private static Map<String, String> parse(String raw) {
        return StubHttp.form(raw);
    }
}
