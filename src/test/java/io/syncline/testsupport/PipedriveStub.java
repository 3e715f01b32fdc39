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
 *   <li>Persons one by one ("Add a new person", "Get details of a person", "Update a person",
 *   "Delete a person"): {@code POST /api/v2/persons} (a {@code name} is required, else 400),
 *   {@code GET}, {@code PATCH} and {@code DELETE /api/v2/persons/{id}} (404 for a person it does not
 *   have), each answered {@code {"success": true, "data": person}}; {@code emails} and {@code phones}
 *   as arrays of {@code {value, primary, label}}.</li>
 *   <li>{@code GET /api/v2/persons/search?term=&fields=email|phone|name&exact_match=true}
 *   ("Search persons"): {@code data.items[]} of {@code {result_score, item}}, the item's
 *   {@code emails} and {@code phones} as arrays of strings; a term shorter than 2 characters is a 400.</li>
 * </ul>
 * Tests set persons with the update time they choose, and read every request the stub answered.
 */
public final class PipedriveStub implements AutoCloseable {

    public static final String PERSONS = "/api/v2/persons";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> MAP = new com.fasterxml.jackson.core.type.TypeReference<>() {
    };
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
    private final java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong(1_000_000);
    private final List<HubSpotStub.Received> received = new CopyOnWriteArrayList<>();
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

    /** Every request, as sent. */
    public List<HubSpotStub.Received> received() {
        return List.copyOf(received);
    }

    public List<HubSpotStub.Received> received(String method, String path) {
        return received.stream().filter(request -> request.method().equals(method) && request.path().equals(path)).toList();
    }

    /** Person {@code id} as Pipedrive has it now; null when it has none. */
    /** An organization of the company, as if added earlier (Pipedrive's organizations are not served here); @return its id */
    public long addOrganization() {
        return ids.incrementAndGet();
    }

    public Map<String, Object> person(long id) {
        Map<String, Object> person = persons.get(id);
        return person == null ? null : Map.copyOf(person);
    }

    /** A person made in Pipedrive with a primary work e-mail; its id. */
    public long add(String name, String email) {
        long id = ids.incrementAndGet();
        Map<String, Object> person = new LinkedHashMap<>();
        person.put("name", name);
        person.put("emails", List.of(Map.of("value", email, "primary", true, "label", "work")));
        persons.put(id, stamped(id, person, null));
        return id;
    }

    /** A user's edit of person {@code id} in Pipedrive. */
    public void edit(long id, Map<String, Object> fields) {
        persons.computeIfPresent(id, (key, known) -> {
            Map<String, Object> changed = new LinkedHashMap<>(known);
            changed.putAll(fields);
            return stamped(id, changed, known);
        });
    }

    /** The ids of the persons with {@code email} among their e-mails. */
    public List<Long> withEmail(String email) {
        return persons.values().stream().filter(person -> values(person.get("emails")).contains(email))
                .map(person -> (Long) person.get("id")).sorted().toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void persons(HttpExchange exchange) throws IOException {
        try (exchange) {
            String raw = exchange.getRequestURI().getRawQuery();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new HubSpotStub.Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body, Instant.now(), raw));
            Map<String, String> query = parse(raw);
            int status = answer(exchange, query, body);
            answered.add(new Answered(raw == null ? "" : raw, status, Instant.now()));
        }
    }

    private int answer(HttpExchange exchange, Map<String, String> query, String body) throws IOException {
        if (!token.equals(exchange.getRequestHeaders().getFirst("x-api-token")) && !token.equals(query.get("api_token"))) {
            return send(exchange, 401, error("unauthorized access", 401), Map.of());
        }
        if (rateLimited.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return send(exchange, 429, error("Request over limit", 429), Map.of("Retry-After", Long.toString(retryAfterSeconds),
                    "x-ratelimit-limit", "40", "x-ratelimit-remaining", "0", "x-ratelimit-reset", Long.toString(retryAfterSeconds)));
        }
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (path.equals(PERSONS + "/search") && method.equals("GET")) {
            return search(exchange, query);
        }
        if (path.startsWith(PERSONS + "/")) {
            return one(exchange, method, path.substring(PERSONS.length() + 1), body);
        }
        if (method.equals("POST")) {
            return create(exchange, body);
        }
        if (!method.equals("GET")) {
            return send(exchange, 405, error("Method not allowed", 405), Map.of());
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
        Map<String, Object> listing = new LinkedHashMap<>();
        listing.put("success", true);
        listing.put("data", page);
        listing.put("additional_data", additional);
        return send(exchange, 200, listing, Map.of("x-ratelimit-limit", "40", "x-ratelimit-remaining", "39", "x-ratelimit-reset", "2"));
    }

    private int create(HttpExchange exchange, String body) throws IOException {
        Map<String, Object> fields = JSON.readValue(body, MAP);
        if (!(fields.get("name") instanceof String name) || name.isBlank()) {
            return send(exchange, 400, error("Validation failed: name: Parameter 'name' is required", 400), Map.of());
        }
        long id = ids.incrementAndGet();
        Map<String, Object> person = stamped(id, new LinkedHashMap<>(fields), null);
        persons.put(id, person);
        return send(exchange, 200, Map.of("success", true, "data", person), Map.of());
    }

    private int one(HttpExchange exchange, String method, String idText, String body) throws IOException {
        long id;
        try {
            id = Long.parseLong(idText);
        } catch (NumberFormatException e) {
            return send(exchange, 400, error("Validation failed: id: Parameter 'id' must be an integer", 400), Map.of());
        }
        Map<String, Object> known = persons.get(id);
        if (known == null) {
            return send(exchange, 404, error("Person not found", 404), Map.of());
        }
        switch (method) {
            case "GET" :
                return send(exchange, 200, Map.of("success", true, "data", known), Map.of());
            case "PATCH" :
                Map<String, Object> changed = new LinkedHashMap<>(known);
                changed.putAll(JSON.readValue(body, MAP));
                Map<String, Object> person = stamped(id, changed, known);
                persons.put(id, person);
                return send(exchange, 200, Map.of("success", true, "data", person), Map.of());
            case "DELETE" :
                persons.remove(id);
                return send(exchange, 200, Map.of("success", true, "data", Map.of("id", id)), Map.of());
            default :
                return send(exchange, 405, error("Method not allowed", 405), Map.of());
        }
    }

    private int search(HttpExchange exchange, Map<String, String> query) throws IOException {
        String term = query.getOrDefault("term", "");
        if (term.length() < 2) {
            return send(exchange, 400, error("Validation failed: term: must be at least 2 characters", 400), Map.of());
        }
        String field = query.getOrDefault("fields", "name");
        boolean exact = Boolean.parseBoolean(query.getOrDefault("exact_match", "false"));
        List<Map<String, Object>> items = new ArrayList<>();
        for (Map<String, Object> person : persons.values()) {
            List<String> values = field.equals("name") ? List.of(String.valueOf(person.get("name")))
                    : values(person.get(field.equals("email") ? "emails" : "phones"));
            boolean found = values.stream().anyMatch(value -> exact ? value.equalsIgnoreCase(term)
                    : value.toLowerCase(java.util.Locale.ROOT).contains(term.toLowerCase(java.util.Locale.ROOT)));
            if (found) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("id", person.get("id"));
                item.put("type", "person");
                item.put("name", person.get("name"));
                item.put("phones", values(person.get("phones")));
                item.put("emails", values(person.get("emails")));
                item.put("visible_to", person.get("visible_to"));
                items.add(Map.of("result_score", 1.0, "item", item));
            }
        }
        Map<String, Object> additional = new LinkedHashMap<>();
        additional.put("next_cursor", null);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", true);
        answer.put("data", Map.of("items", items));
        answer.put("additional_data", additional);
        return send(exchange, 200, answer, Map.of());
    }

    /** The values of an {@code emails} or {@code phones} array. */
    private static List<String> values(Object entries) {
        List<String> values = new ArrayList<>();
        if (entries instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> map && map.get("value") != null) {
                    values.add(map.get("value").toString());
                }
            }
        }
        return values;
    }

    /** A person as saved now: its id, times and the members Pipedrive sets. */
    private static Map<String, Object> stamped(long id, Map<String, Object> person, Map<String, Object> known) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        person.put("id", id);
        person.put("add_time", known == null ? now : known.get("add_time"));
        person.put("update_time", now);
        person.putIfAbsent("is_deleted", false);
        person.putIfAbsent("owner_id", 123);
        person.putIfAbsent("visible_to", 3);
        return person;
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
