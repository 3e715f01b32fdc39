package io.syncline.testsupport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Locale;
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
 *   <li>{@code POST /admin/api/2025-01/customers.json} ("Customer: create"): {@code {"customer": {…}}}
 *   answered 201 with the customer and its new id; without the root 400 {@code {"errors": {"customer":
 *   "Required parameter missing or invalid"}}}; an e-mail the shop has 422 {@code {"errors": {"email":
 *   ["has already been taken"]}}}. {@code PUT …/customers/{id}.json} changes only the fields sent;
 *   {@code DELETE …/customers/{id}.json} answers 200 {@code {}}.</li>
 *   <li>{@code GET /admin/api/2025-01/customers/search.json?query=email:…} ("Customer: search"):
 *   {@code {"customers": [...]}}, the customers whose field equals the value (case-insensitive),
 *   which may be quoted.</li>
 *   <li>{@code GET /admin/api/2025-01/webhooks.json} ("Webhook: list"): {@code {"webhooks": [...]}}, the
 *   app's subscriptions, each a {@code topic} and an {@code address} ({@link #subscribe}).</li>
 *   <li>Inventory ("InventoryLevel", "Product Variant"): {@code GET …/variants/{id}.json} {@code {"variant": {"id",
 *   "sku", "inventory_item_id", …}}}; {@code GET …/inventory_levels.json?inventory_item_ids=…&location_ids=…} (one of
 *   the two required, else 422) {@code {"inventory_levels": [{"inventory_item_id", "location_id", "available",
 *   "updated_at"}]}}; {@code POST …/inventory_levels/set.json {"location_id", "inventory_item_id", "available"}} and
 *   {@code POST …/inventory_levels/adjust.json {"location_id", "inventory_item_id", "available_adjustment"}} (a delta,
 *   added atomically), each answered 200 {@code {"inventory_level": {…}}}, 422 for a missing or non-integer
 *   parameter, 404 for an item not stocked at the location.</li>
 *   <li>Order webhooks ("Webhook topics: orders/create"): the order as the body, its {@code line_items} each an
 *   {@code id}, {@code variant_id}, {@code sku} and {@code quantity} ({@link #order}), signed by the caller as
 *   every Shopify webhook is (base64 HMAC-SHA256 of the body in {@code X-Shopify-Hmac-Sha256}).</li>
 *   <li>Rate limits ("REST Admin API rate limits"): every answer says the bucket's fill in
 *   {@code X-Shopify-Shop-Api-Call-Limit} ({@code 1/40}); while {@link #rateLimitNext} is set, 429
 *   {@code {"errors": "Exceeded 2 calls per second for api client. Reduce request rates to resume
 *   uninterrupted service."}} with {@code Retry-After: 2.0}.</li>
 * </ul>
 */
public final class ShopifyStub implements AutoCloseable {

    public static final String API = "/admin/api/2025-01";
    public static final String CUSTOMERS = API + "/customers.json";
    public static final String SEARCH = API + "/customers/search.json";
    public static final String WEBHOOKS = API + "/webhooks.json";
    public static final String INVENTORY_LEVELS = API + "/inventory_levels.json";
    public static final String SET_LEVEL = API + "/inventory_levels/set.json";
    public static final String ADJUST_LEVEL = API + "/inventory_levels/adjust.json";
    private static final int MAX_LIMIT = 250;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String token;
    private final Map<Long, Map<String, Object>> customers = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong(7_064_055_069_303L);
    private final AtomicInteger rateLimited = new AtomicInteger();
    private final List<HubSpotStub.Received> received = new CopyOnWriteArrayList<>();
    /** The shop's variants by id: each its {@code sku} and {@code inventory_item_id}. */
    private final Map<Long, Map<String, Object>> variants = new ConcurrentSkipListMap<>();
    /** Stock by inventory item id and location id ({@code item/location}). */
    private final Map<String, AtomicLong> levels = new java.util.concurrent.ConcurrentHashMap<>();
    /** The app's webhook subscriptions by id, oldest first. */
    private final Map<Long, Map<String, Object>> subscriptions = new ConcurrentSkipListMap<>();

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

    /** A variant of {@code sku} stocking {@code available} at {@code location}; its id. */
    public long variant(String sku, long location, long available) {
        long id = ids.incrementAndGet();
        long item = ids.incrementAndGet();
        Map<String, Object> variant = new LinkedHashMap<>();
        variant.put("id", id);
        variant.put("sku", sku);
        variant.put("inventory_item_id", item);
        variant.put("inventory_management", "shopify");
        variants.put(id, variant);
        levels.put(item + "/" + location, new AtomicLong(available));
        return id;
    }

    /** The variant's stock at the location; null where it is not stocked there. */
    public Long available(long variantId, long location) {
        AtomicLong level = levels.get(variants.get(variantId).get("inventory_item_id") + "/" + location);
        return level == null ? null : level.get();
    }

    /** The shop sold {@code quantity} of the variant at the location, as checkout takes it off the stock before any webhook. */
    public void sell(long variantId, long location, long quantity) {
        levels.get(variants.get(variantId).get("inventory_item_id") + "/" + location).addAndGet(-quantity);
    }

    /** The body of an {@code orders/create} webhook of one line per variant with its quantity, each line id new. */
    public String order(long orderId, Map<Long, Integer> lines) {
        List<Map<String, Object>> items = new java.util.ArrayList<>();
        lines.forEach((variantId, quantity) -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("id", ids.incrementAndGet());
            line.put("variant_id", variantId);
            line.put("sku", variants.get(variantId).get("sku"));
            line.put("quantity", quantity);
            line.put("fulfillable_quantity", quantity);
            items.add(line);
        });
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("id", orderId);
        order.put("name", "#" + orderId % 100_000);
        order.put("created_at", Instant.now().toString());
        order.put("financial_status", "paid");
        order.put("line_items", items);
        try {
            return JSON.writeValueAsString(order);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The customer of this id, or null. */
    public Map<String, Object> customer(long id) {
        return customers.get(id);
    }

    /** The ids of the customers of this e-mail, ignoring case. */
    public List<Long> withEmail(String email) {
        return customers.values().stream().filter(customer -> email.equalsIgnoreCase(String.valueOf(customer.get("email"))))
                .map(customer -> ((Number) customer.get("id")).longValue()).toList();
    }

    /** The app subscribed to {@code topic} ({@code customers/create}) at {@code address}, as {@code POST /webhooks.json} does; its id. */
    public long subscribe(String topic, String address) {
        long id = ids.incrementAndGet();
        Map<String, Object> subscription = new LinkedHashMap<>();
        subscription.put("id", id);
        subscription.put("address", address);
        subscription.put("topic", topic);
        subscription.put("created_at", Instant.now().toString());
        subscription.put("updated_at", Instant.now().toString());
        subscription.put("format", "json");
        subscription.put("fields", List.of());
        subscription.put("metafield_namespaces", List.of());
        subscription.put("api_version", "2025-01");
        subscriptions.put(id, subscription);
        return id;
    }

    public void unsubscribe(long id) {
        subscriptions.remove(id);
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
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new HubSpotStub.Received(exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders()),
                    body, Instant.now(), exchange.getRequestURI().getRawQuery()));
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
            String method = exchange.getRequestMethod();
            if (path.equals(CUSTOMERS) && method.equals("GET")) {
                list(exchange, query, bucket);
            } else if (path.equals(CUSTOMERS) && method.equals("POST")) {
                create(exchange, body, bucket);
            } else if (path.equals(WEBHOOKS) && method.equals("GET")) {
                StubHttp.sendJson(exchange, 200, Map.of("webhooks", List.copyOf(subscriptions.values())), bucket);
            } else if (path.equals(SEARCH) && method.equals("GET")) {
                StubHttp.sendJson(exchange, 200, Map.of("customers", search(query.getOrDefault("query", ""))), bucket);
            } else if (path.matches(API + "/variants/\\d+\\.json") && method.equals("GET")) {
                Map<String, Object> variant = variants.get(Long.parseLong(path.substring((API + "/variants/").length(),
                        path.length() - ".json".length())));
                StubHttp.sendJson(exchange, variant == null ? 404 : 200, variant == null ? Map.of("errors", "Not Found")
                        : Map.of("variant", variant), bucket);
            } else if (path.equals(INVENTORY_LEVELS) && method.equals("GET")) {
                levels(exchange, query, bucket);
            } else if ((path.equals(SET_LEVEL) || path.equals(ADJUST_LEVEL)) && method.equals("POST")) {
                setLevel(exchange, body, path.equals(ADJUST_LEVEL), bucket);
            } else if (path.matches(API + "/customers/\\d+\\.json")) {
                long id = Long.parseLong(path.substring((API + "/customers/").length(), path.length() - ".json".length()));
                Map<String, Object> customer = customers.get(id);
                if (customer == null) {
                    StubHttp.sendJson(exchange, 404, Map.of("errors", "Not Found"), bucket);
                } else if (method.equals("GET")) {
                    StubHttp.sendJson(exchange, 200, Map.of("customer", customer), bucket);
                } else if (method.equals("PUT")) {
                    update(exchange, customer, body, bucket);
                } else if (method.equals("DELETE")) {
                    customers.remove(id);
                    StubHttp.sendJson(exchange, 200, Map.of(), bucket);
                } else {
                    StubHttp.sendJson(exchange, 404, Map.of("errors", "Not Found"), bucket);
                }
            } else {
                StubHttp.sendJson(exchange, 404, Map.of("errors", "Not Found"), bucket);
            }
        }
    }

    private void levels(HttpExchange exchange, Map<String, String> query, Map<String, String> bucket) throws IOException {
        List<String> items = query.containsKey("inventory_item_ids") ? List.of(query.get("inventory_item_ids").split(",")) : null;
        List<String> locations = query.containsKey("location_ids") ? List.of(query.get("location_ids").split(",")) : null;
        if (items == null && locations == null) {
            StubHttp.sendJson(exchange, 422, Map.of("errors", "inventory_item_ids, location_ids or both must be given"), bucket);
            return;
        }
        List<Map<String, Object>> found = levels.entrySet().stream().filter(level -> {
            String[] key = level.getKey().split("/");
            return (items == null || items.contains(key[0])) && (locations == null || locations.contains(key[1]));
        }).map(level -> level(level.getKey(), level.getValue().get())).toList();
        StubHttp.sendJson(exchange, 200, Map.of("inventory_levels", found), bucket);
    }

    private void setLevel(HttpExchange exchange, String body, boolean adjust, Map<String, String> bucket) throws IOException {
        Map<String, Object> request;
        try {
            request = JSON.readValue(body, new TypeReference<>() {
            });
        } catch (IOException e) {
            request = Map.of();
        }
        String amount = adjust ? "available_adjustment" : "available";
        for (String parameter : List.of("location_id", "inventory_item_id", amount)) {
            Object value = request.get(parameter);
            if (!(value instanceof Integer || value instanceof Long)) {
                StubHttp.sendJson(exchange, 422, Map.of("errors", Map.of(parameter, List.of(value == null
                        ? "Required parameter missing or invalid" : "must be an integer"))), bucket);
                return;
            }
        }
        String key = request.get("inventory_item_id") + "/" + request.get("location_id");
        AtomicLong level = levels.get(key);
        if (level == null) {
            StubHttp.sendJson(exchange, 404, Map.of("errors", "Not Found"), bucket);
            return;
        }
        long value = ((Number) request.get(amount)).longValue();
        long now = adjust ? level.addAndGet(value) : value;
        if (!adjust) {
            level.set(value);
        }
        StubHttp.sendJson(exchange, 200, Map.of("inventory_level", level(key, now)), bucket);
    }

    private static Map<String, Object> level(String key, long available) {
        String[] parts = key.split("/");
        Map<String, Object> level = new LinkedHashMap<>();
        level.put("inventory_item_id", Long.parseLong(parts[0]));
        level.put("location_id", Long.parseLong(parts[1]));
        level.put("available", available);
        level.put("updated_at", Instant.now().toString());
        return level;
    }

    private void create(HttpExchange exchange, String body, Map<String, String> bucket) throws IOException {
        Map<String, Object> fields = root(body);
        if (fields == null) {
            StubHttp.sendJson(exchange, 400, Map.of("errors", Map.of("customer", "Required parameter missing or invalid")), bucket);
        } else if (fields.get("email") != null && !withEmail(String.valueOf(fields.get("email"))).isEmpty()) {
            StubHttp.sendJson(exchange, 422, Map.of("errors", Map.of("email", List.of("has already been taken"))), bucket);
        } else {
            fields.remove("id");
            StubHttp.sendJson(exchange, 201, Map.of("customer", customers.get(add(fields))), bucket);
        }
    }

    private void update(HttpExchange exchange, Map<String, Object> customer, String body, Map<String, String> bucket)
            throws IOException {
        Map<String, Object> fields = root(body);
        if (fields == null) {
            StubHttp.sendJson(exchange, 400, Map.of("errors", Map.of("customer", "Required parameter missing or invalid")), bucket);
            return;
        }
        fields.remove("id");
        customer.putAll(fields);
        customer.put("updated_at", Instant.now().toString());
        StubHttp.sendJson(exchange, 200, Map.of("customer", customer), bucket);
    }

    /** The fields under a body's {@code customer} root; null where there is none. */
    private static Map<String, Object> root(String body) {
        try {
            Map<String, Object> request = JSON.readValue(body, new TypeReference<>() {
            });
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = request != null && request.get("customer") instanceof Map<?, ?> map
                    ? new LinkedHashMap<>((Map<String, Object>) map) : null;
            return fields;
        } catch (IOException e) {
            return null;
        }
    }

    /** The customers a {@code field:value} query finds, the value maybe quoted. */
    private List<Map<String, Object>> search(String query) {
        int colon = query.indexOf(':');
        if (colon < 1) {
            return List.of();
        }
        String field = query.substring(0, colon);
        String value = query.substring(colon + 1);
        if (value.length() > 1 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        String wanted = value.toLowerCase(Locale.ROOT);
        return customers.values().stream()
                .filter(customer -> wanted.equals(String.valueOf(customer.get(field)).toLowerCase(Locale.ROOT))).toList();
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
