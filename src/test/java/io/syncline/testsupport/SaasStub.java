package io.syncline.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process stand-in for SaaS list APIs, following their documented paging contracts over
 * one list of records:
 * <ul>
 *   <li>{@code /crm/v3/objects/contacts} and {@code …/contacts/{id}}: HubSpot CRM v3. Bearer token, {@code limit} at most 100
 *   (400 otherwise), opaque {@code after} cursor in {@code paging.next.after}, 429 with
 *   {@code Retry-After} and HubSpot's error body while {@link #rateLimitNext} is set.</li>
 *   <li>{@code /repos/contacts}: GitHub-style {@code per_page}/{@code page} with RFC 8288 {@code Link} headers.</li>
 *   <li>{@code /offset/contacts} ({@code offset}/{@code limit}, {@code total}), {@code /paged/contacts}
 *   ({@code page}/{@code limit}), {@code /next/contacts} (body {@code next} URL).</li>
 *   <li>{@code /truncating/contacts}: a HubSpot-like pager that silently returns only its first
 *   page: no {@code paging.next}, still reporting the full {@code total}.</li>
 *   <li>{@code /stuck/contacts}: a pager that ignores the cursor and serves page one forever.</li>
 * </ul>
 */
public final class SaasStub implements AutoCloseable {

    public static final String TOKEN = "pat-na1-stub-token";

    private final HttpServer server;
    private volatile List<Map<String, Object>> records = List.of();
    public final AtomicInteger rateLimitNext = new AtomicInteger();
    /** When set, the HubSpot endpoint silently answers only its first page: no paging.next, no error. */
    public volatile boolean firstPageOnly;
    public final List<String> requests = new CopyOnWriteArrayList<>();

    public SaasStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/crm/v3/objects/contacts", exchange -> handle(exchange, this::hubspot));
        server.createContext("/repos/contacts", exchange -> handle(exchange, this::linkHeader));
        server.createContext("/offset/contacts", exchange -> handle(exchange, this::offset));
        server.createContext("/paged/contacts", exchange -> handle(exchange, this::paged));
        server.createContext("/next/contacts", exchange -> handle(exchange, this::nextUrl));
        server.createContext("/truncating/contacts", exchange -> handle(exchange, this::truncating));
        server.createContext("/stuck/contacts", exchange -> handle(exchange, this::stuck));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public void records(List<Map<String, Object>> records) {
        this.records = List.copyOf(records);
    }

    /** {@code n} HubSpot-shaped contacts {@code id = prefix + i}, e-mail in mixed case. */
    public static List<Map<String, Object>> hubspotContacts(String prefix, int n) {
        List<Map<String, Object>> contacts = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            String id = prefix + String.format("%05d", i);
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("email", " User" + i + "@Example.COM ");
            properties.put("lastname", "Last" + i);
            contacts.add(new LinkedHashMap<>(Map.of("id", id, "properties", properties,
                    "updatedAt", "2024-01-01T00:00:00.000Z", "archived", false)));
        }
        return contacts;
    }

    private interface Handler {

        void handle(HttpExchange exchange, Map<String, String> query) throws IOException;
    }

    private void handle(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            requests.add(exchange.getRequestURI().toString());
            handler.handle(exchange, query(exchange));
        }
    }

    private void hubspot(HttpExchange exchange, Map<String, String> query) throws IOException {
        if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, Map.of("status", "error", "message", "Authentication credentials not found.",
                    "category", "INVALID_AUTHENTICATION"), Map.of());
            return;
        }
        if (rateLimitNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            send(exchange, 429, Map.of("status", "error", "message", "You have reached your secondly limit.",
                    "category", "RATE_LIMITS"), Map.of("Retry-After", "1"));
            return;
        }
        String path = exchange.getRequestURI().getPath();
        String prefix = "/crm/v3/objects/contacts/";
        if (path.startsWith(prefix) && path.length() > prefix.length()) {
            // one contact by its id (GET /crm/v3/objects/contacts/{contactId}); 404 in HubSpot's error form
            String id = path.substring(prefix.length());
            Map<String, Object> contact = records.stream().filter(r -> id.equals(String.valueOf(r.get("id")))).findFirst().orElse(null);
            if (contact == null) {
                send(exchange, 404, Map.of("status", "error", "message", "resource not found", "category", "OBJECT_NOT_FOUND"), Map.of());
            } else {
                send(exchange, 200, contact, Map.of());
            }
            return;
        }
        int limit = Integer.parseInt(query.getOrDefault("limit", "10"));
        if (limit > 100) {
            send(exchange, 400, Map.of("status", "error", "message", "limit must be at most 100", "category", "VALIDATION_ERROR"), Map.of());
            return;
        }
        int start = query.containsKey("after") ? decodeCursor(query.get("after")) : 0;
        send(exchange, 200, cursorPage(start, limit, !firstPageOnly), Map.of());
    }

    private Map<String, Object> cursorPage(int start, int limit, boolean withNext) {
        List<Map<String, Object>> all = records;
        int end = Math.min(all.size(), start + limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("results", all.subList(Math.min(start, end), end));
        if (withNext && end < all.size()) {
            String after = Base64.getEncoder().encodeToString(Integer.toString(end).getBytes(StandardCharsets.UTF_8));
            body.put("paging", Map.of("next", Map.of("after", after, "link", baseUrl() + "/crm/v3/objects/contacts?after=" + after)));
        }
        return body;
    }

    private void truncating(HttpExchange exchange, Map<String, String> query) throws IOException {
        Map<String, Object> body = cursorPage(0, Integer.parseInt(query.getOrDefault("limit", "10")), false);
        body.put("total", records.size());
        send(exchange, 200, body, Map.of());
    }

    private void stuck(HttpExchange exchange, Map<String, String> query) throws IOException {
        send(exchange, 200, cursorPage(0, Integer.parseInt(query.getOrDefault("limit", "10")), true), Map.of());
    }

    private void linkHeader(HttpExchange exchange, Map<String, String> query) throws IOException {
        int perPage = Integer.parseInt(query.getOrDefault("per_page", "30"));
        int page = Integer.parseInt(query.getOrDefault("page", "1"));
        List<Map<String, Object>> all = records;
        int last = Math.max(1, (all.size() + perPage - 1) / perPage);
        int start = Math.min(all.size(), (page - 1) * perPage);
        List<String> links = new ArrayList<>();
        String base = baseUrl() + "/repos/contacts?per_page=" + perPage + "&page=";
        if (page < last) {
            links.add("<" + base + (page + 1) + ">; rel=\"next\"");
            links.add("<" + base + last + ">; rel=\"last\"");
        }
        if (page > 1) {
            links.add("<" + base + "1>; rel=\"first\"");
            links.add("<" + base + (page - 1) + ">; rel=\"prev\"");
        }
        send(exchange, 200, all.subList(start, Math.min(all.size(), start + perPage)),
                links.isEmpty() ? Map.of() : Map.of("Link", String.join(", ", links)));
    }

    private void offset(HttpExchange exchange, Map<String, String> query) throws IOException {
        int offset = Integer.parseInt(query.getOrDefault("offset", "0"));
        int limit = Integer.parseInt(query.getOrDefault("limit", "10"));
        List<Map<String, Object>> all = records;
        int start = Math.min(all.size(), offset);
        send(exchange, 200, Map.of("data", all.subList(start, Math.min(all.size(), start + limit)), "total", all.size()), Map.of());
    }

    private void paged(HttpExchange exchange, Map<String, String> query) throws IOException {
        int page = Integer.parseInt(query.getOrDefault("page", "1"));
        int limit = Integer.parseInt(query.getOrDefault("limit", "10"));
        List<Map<String, Object>> all = records;
        int start = Math.min(all.size(), (page - 1) * limit);
        send(exchange, 200, Map.of("items", all.subList(start, Math.min(all.size(), start + limit))), Map.of());
    }

    private void nextUrl(HttpExchange exchange, Map<String, String> query) throws IOException {
        int limit = Integer.parseInt(query.getOrDefault("limit", "10"));
        int start = query.containsKey("from") ? Integer.parseInt(query.get("from")) : 0;
        List<Map<String, Object>> all = records;
        int end = Math.min(all.size(), start + limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("records", all.subList(Math.min(start, end), end));
        body.put("links", end < all.size() ? Map.of("next", "/next/contacts?limit=" + limit + "&from=" + end) : Map.of());
        send(exchange, 200, body, Map.of());
    }

    private static int decodeCursor(String cursor) {
        return Integer.parseInt(new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(HttpExchange exchange) {
        return StubHttp.form(exchange.getRequestURI().getRawQuery());
    }

    private static void send(HttpExchange exchange, int status, Object body, Map<String, String> headers) throws IOException {
        StubHttp.sendJson(exchange, status, body, headers);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
