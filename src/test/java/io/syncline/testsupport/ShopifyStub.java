package io.syncline.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shopify's Admin REST API (version 2025-01) customers, as shopify.dev documents them, in the test
 * JVM. Shopify publishes no OpenAPI description of its REST Admin API (only a GraphQL schema), so
 * the stub follows the reference pages and their examples:
 * <ul>
 *   <li>Auth ("Authentication"): the app's access token in {@code X-Shopify-Access-Token}; else 401
 *   {@code {"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}}.</li>
 *   <li>{@code GET /admin/api/2025-01/customers.json} ("Customer: list", "Paginating results with REST"):
 *   {@code limit} at most 250 (else 400), cursor-based pages linked by the {@code Link} header's
 *   {@code rel="next"}, whose {@code page_info} may come only with {@code limit}.</li>
 *   <li>{@code GET /admin/api/2025-01/customers/{id}.json}: {@code {"customer": {…}}}, 404
 *   {@code {"errors": "Not Found"}}.</li>
 *   <li>Rate limits ("REST Admin API rate limits"): every answer says the bucket's fill in
 *   {@code X-Shopify-Shop-Api-Call-Limit} ({@code 1/40}); while {@link #rateLimitNext} is set, 429
 *   {@code {"errors": "Exceeded 2 calls per second for api client. Reduce request rates to resume
 *   uninterrupted service."}} with {@code Retry-After: 2.0}.</li>
 * </ul>
 */
public final class ShopifyStub implements AutoCloseable {

    public static final String API = "/admin/api/2025-01";
    public static final String CUSTOMERS = API + "/customers.json";
    private static final int MAX_LIMIT = 250;

    private final HttpServer server;
    private final String token;
    private final Map<Long, Map<String, Object>> customers = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong(7_064_055_069_303L);
    private final AtomicInteger rateLimited = new AtomicInteger();
    private final List<HubSpotStub.Received> received = new CopyOnWriteArrayList<>();

    private ShopifyStub(HttpServer server, String token) {
        this.server = server;
        this.token = token;
        server.createContext(API, this::handle);
        server.start();
    }

    public static ShopifyStub start(String token) {
        try {
            return new ShopifyStub(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A customer the shop has; its id. */
    public long add(Map<String, Object> fields) {
        long id = ids.incrementAndGet();
        Map<String, Object> customer = new LinkedHashMap<>(fields);
        customer.put("id", id);
        customer.put("created_at", Instant.now().toString());
        customer.put("updated_at", Instant.now().toString());
        customers.put(id, customer);
        return id;
    }

    public void rateLimitNext(int n) {
        rateLimited.set(n);
    }

    public List<HubSpotStub.Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            received.add(new HubSpotStub.Received(exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders()),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8), Instant.now(),
                    exchange.getRequestURI().getRawQuery()));
            Map<String, String> bucket = Map.of("X-Shopify-Shop-Api-Call-Limit", "1/40");
            if (!token.equals(exchange.getRequestHeaders().getFirst("X-Shopify-Access-Token"))) {
                StubHttp.sendJson(exchange, 401, Map.of("errors",
                        "[API] Invalid API key or access token (unrecognized login or wrong password)"), Map.of());
                return;
            }
            if (rateLimited.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                StubHttp.sendJson(exchange, 429, Map.of("errors", "Exceeded 2 calls per second for api client. Reduce request"
                        + " rates to resume uninterrupted service."), Map.of("Retry-After", "2.0",
                        "X-Shopify-Shop-Api-Call-Limit", "40/40"));
                return;
            }
            Map<String, String> query = StubHttp.form(exchange.getRequestURI().getRawQuery());
            if (path.equals(CUSTOMERS) && exchange.getRequestMethod().equals("GET")) {
                list(exchange, query, bucket);
            } else if (path.matches(API + "/customers/\\d+\\.json") && exchange.getRequestMethod().equals("GET")) {
                Map<String, Object> customer = customers.get(Long.parseLong(path.substring((API + "/customers/").length(),
                        path.length() - ".json".length())));
                if (customer == null) {
                    StubHttp.sendJson(exchange, 404, Map.of("errors", "Not Found"), bucket);
                } else {
                    StubHttp.sendJson(exchange, 200, Map.of("customer", customer), bucket);
                }
            } else {
                StubHttp.sendJson(exchange, 404, Map.of("errors", "Not Found"), bucket);
            }
        }
    }

    private void list(HttpExchange exchange, Map<String, String> query, Map<String, String> bucket) throws IOException {
        int limit = Integer.parseInt(query.getOrDefault("limit", "50"));
        if (limit < 1 || limit > MAX_LIMIT) {
            StubHttp.sendJson(exchange, 400, Map.of("errors", Map.of("limit", List.of("must be between 1 and " + MAX_LIMIT))),
                    bucket);
            return;
        }
        long after = 0;
        if (query.containsKey("page_info")) {
            if (query.size() > 2) {
                StubHttp.sendJson(exchange, 400, Map.of("errors", Map.of("page_info",
                        List.of("page_info cannot be combined with other parameters than limit"))), bucket);
                return;
            }
            after = Long.parseLong(new String(Base64.getUrlDecoder().decode(query.get("page_info")), StandardCharsets.UTF_8));
        }
        long from = after;
        List<Map<String, Object>> page = customers.values().stream()
                .filter(customer -> ((Number) customer.get("id")).longValue() > from).limit(limit).toList();
        Map<String, String> headers = new LinkedHashMap<>(bucket);
        if (!page.isEmpty()) {
            long last = ((Number) page.get(page.size() - 1).get("id")).longValue();
            if (customers.keySet().stream().anyMatch(id -> id > last)) {
                String pageInfo = Base64.getUrlEncoder().withoutPadding().encodeToString(Long.toString(last)
                        .getBytes(StandardCharsets.UTF_8));
                headers.put("Link", "<" + baseUrl() + CUSTOMERS + "?limit=" + limit + "&page_info=" + pageInfo + ">; rel=\"next\"");
            }
        }
        StubHttp.sendJson(exchange, 200, Map.of("customers", page), headers);
    }
}
