package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A seller's account on eBay's Sell Inventory and Sell Fulfillment APIs, as eBay's published descriptions
 * ({@code sell_inventory_v1_oas3.json}, {@code sell_fulfillment_v1_oas3.json}) and its reference pages
 * ("Using the refresh token", "HTTP request headers", "API call limits") describe them, in the test JVM (JDK
 * HttpServer on a free port), with eBay's OAuth token endpoint beside it. Every request is kept, for a test to
 * check against those descriptions ({@link ApiDescription}).
 * <ul>
 *   <li>{@code POST /identity/v1/oauth2/token} (form): the app's client id and secret as HTTP Basic credentials,
 *   {@code grant_type=refresh_token} with the seller's refresh token and {@code scope}, the scopes granted or fewer;
 *   200 {@code {"access_token", "expires_in": 7200, "token_type": "User Access Token"}}, else 401
 *   {@code invalid_client} or 400 {@code invalid_grant} / {@code invalid_scope} ({@code {"error",
 *   "error_description"}}).</li>
 *   <li>Every other call: the access token as {@code Authorization: Bearer}; anything else 401 with eBay's error
 *   list {@code {"errors": [{"errorId": 1001, "domain", "category", "message", "longMessage"}]}}, the shape of every
 *   error here.</li>
 *   <li>{@code GET /sell/inventory/v1/inventory_item?limit=&offset=}: a page of items ({@code offset} the page's
 *   number, {@code limit} 1 to 200), {@code {"href", "inventoryItems", "limit", "next", "size", "total"}},
 *   {@code next} while more follow.</li>
 *   <li>{@code GET}, {@code PUT}, {@code DELETE /sell/inventory/v1/inventory_item/{sku}}: the item; created or
 *   replaced whole (204, the request's {@code Content-Language} required: 400 {@code 25709} without it); deleted
 *   (204); 404 {@code 25710} for a SKU the seller has not.</li>
 *   <li>{@code POST /sell/inventory/v1/bulk_update_price_quantity}: {@code {"requests": [{"sku",
 *   "shipToLocationAvailability": {"quantity"}}]}}, at most 25 (400 {@code 25002} beyond); each item's
 *   {@code {"sku", "statusCode", "errors"}} in {@code responses}, 200 where all were updated, else 207; an item
 *   the seller has not, or a negative quantity, is that item's 400 with an error.</li>
 *   <li>{@code GET /sell/fulfillment/v1/order?filter=lastmodifieddate:[<time>..]&limit=&offset=}: the orders
 *   modified at or after the time, in no documented order, {@code {"href", "limit", "next", "offset", "orders",
 *   "total"}} ({@code offset} counts orders; {@code limit} at most 200); 400 {@code 30700} for a filter it cannot
 *   read.</li>
 *   <li>Call limits: where {@link #rateLimitNext(String, String)} or {@link #rateLimitNext(int)} says so, 429 {@code 2001} "Too many requests", without
 *   {@code Retry-After}.</li>
 * </ul>
 */
public final class EbayStub extends LoopbackStub {

    public static final String TOKEN = "/identity/v1/oauth2/token";
    public static final String INVENTORY = "/sell/inventory/v1";
    public static final String ITEMS = INVENTORY + "/inventory_item";
    public static final String BULK = INVENTORY + "/bulk_update_price_quantity";
    public static final String ORDERS = "/sell/fulfillment/v1/order";
    public static final Set<String> SCOPES = Set.of("https://api.ebay.com/oauth/api_scope/sell.inventory",
            "https://api.ebay.com/oauth/api_scope/sell.fulfillment");
    private static final Pattern ITEM = Pattern.compile(ITEMS + "/([^/]+)");
    private static final Pattern SINCE = Pattern.compile("lastmodifieddate:\\[([^\\]]+)\\.\\.]");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String clientId;
    private final String clientSecret;
    private final String refreshToken;
    private final Set<String> accessTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, Map<String, Object>> items = new ConcurrentSkipListMap<>();
    private final Map<String, Map<String, Object>> orders = new ConcurrentSkipListMap<>();

    private EbayStub(String clientId, String clientSecret, String refreshToken) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.refreshToken = refreshToken;
        serve(this::handle, TOKEN, INVENTORY, ORDERS);
    }

    /** A seller whose eBay app and refresh token are these. */
    public static EbayStub start(String clientId, String clientSecret, String refreshToken) {
        return new EbayStub(clientId, clientSecret, refreshToken);
    }

    /** eBay's error list of one error: {@code {"errors": [{"errorId", "domain", "category", "message", "longMessage"}]}}. */
    public static Map<String, Object> errors(int errorId, String domain, String message) {
        return Map.of("errors", List.of(error(errorId, domain, message)));
    }

    private static Map<String, Object> error(int errorId, String domain, String message) {
        return Map.of("errorId", errorId, "domain", domain, "category", "REQUEST", "message", message, "longMessage", message);
    }

    /** The decoded pairs of a form body or a query, as eBay reads them. */
    public static Map<String, String> form(String body) {
        return StubHttp.form(body);
    }

    /** The next {@code method} request to {@code path} is answered 429, as a call limit answers it. */
    public void rateLimitNext(String method, String path) {
        ahead.respondNext(method, path, 429, errors(2001, "ACCESS", "Too many requests. The request limit has been reached for the"
                + " resource."), Map.of("rlogid", UUID.randomUUID().toString()));
    }

    /** The access tokens the token endpoint gave. */
    public Set<String> accessTokens() {
        return accessTokens;
    }

    /** An inventory item of the seller's, {@code quantity} of it to ship. */
    public void item(String sku, int quantity) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("sku", sku);
        item.put("locale", "en_US");
        // no aspects: the published description types product.aspects as a string, while eBay's answers and requests
        // carry an object ({"Colour": ["Blue"]}); an item with them would be put back as the description forbids
        item.put("product", Map.of("title", "Widget " + sku, "imageUrls", List.of("https://i.ebayimg.com/stub/" + sku + ".jpg")));
        item.put("condition", "NEW");
        item.put("availability", Map.of("shipToLocationAvailability", Map.of("quantity", quantity)));
        items.put(sku, item);
    }

    /** The seller sold {@code quantity} of {@code sku}: eBay took it off the item's quantity before any order was read. */
    public synchronized void sell(String sku, int quantity) {
        item(sku, quantity(sku) - quantity);
    }

    /** The seller's item {@code sku} as eBay holds it; null where there is none. */
    public Map<String, Object> item(String sku) {
        return items.get(sku);
    }

    /** The quantity to ship of {@code sku}; null where the seller has no such item or none set. */
    @SuppressWarnings("unchecked")
    public Integer quantity(String sku) {
        Map<String, Object> item = items.get(sku);
        if (item == null || !(item.get("availability") instanceof Map<?, ?> availability)
                || !(availability.get("shipToLocationAvailability") instanceof Map<?, ?> shipping)) {
            return null;
        }
        return shipping.get("quantity") instanceof Number quantity ? quantity.intValue() : null;
    }

    /** An order of the seller's, last modified at {@code modified}: one line of {@code quantity} of {@code sku}. */
    public Map<String, Object> order(String id, String sku, int quantity, String total, Instant modified) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("orderId", id);
        order.put("creationDate", modified.minusSeconds(3600).toString());
        order.put("lastModifiedDate", modified.toString());
        order.put("orderFulfillmentStatus", "NOT_STARTED");
        order.put("orderPaymentStatus", "PAID");
        order.put("pricingSummary", Map.of("total", Map.of("value", total, "currency", "USD")));
        order.put("lineItems", List.of(Map.of("lineItemId", "10" + Math.abs(id.hashCode()), "sku", sku, "quantity", quantity)));
        orders.put(id, order);
        return order;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            HubSpotStub.Received request = received.record(exchange);
            String method = request.method();
            String path = request.path();
            if (path.equals(TOKEN)) {
                token(exchange, method, request);
                return;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !authorization.startsWith("Bearer ") || !accessTokens.contains(authorization.substring(7))) {
                StubHttp.sendJson(exchange, 401, errors(1001, "OAuth", "Invalid access token"), Map.of());
                return;
            }
            if (ahead.answered(exchange, method, path, errors(2001, "ACCESS", "Too many requests. The request limit has been reached"
                    + " for the resource."), () -> Map.of("rlogid", UUID.randomUUID().toString()))) {
                return;
            }
            Map<String, String> query = StubHttp.form(exchange.getRequestURI().getRawQuery());
            Matcher one = ITEM.matcher(path);
            if (path.equals(ORDERS) && method.equals("GET")) {
                orders(exchange, query);
            } else if (path.equals(ITEMS) && method.equals("GET")) {
                items(exchange, query);
            } else if (path.equals(BULK) && method.equals("POST")) {
                bulk(exchange, request.body());
            } else if (one.matches() && method.equals("GET")) {
                Map<String, Object> item = items.get(one.group(1));
                if (item == null) {
                    notFound(exchange);
                } else {
                    StubHttp.sendJson(exchange, 200, item, Map.of());
                }
            } else if (one.matches() && method.equals("PUT")) {
                put(exchange, one.group(1), request);
            } else if (one.matches() && method.equals("DELETE")) {
                if (items.remove(one.group(1)) == null) {
                    notFound(exchange);
                } else {
                    exchange.sendResponseHeaders(204, -1);
                }
            } else {
                StubHttp.sendJson(exchange, 404, errors(2002, "ACCESS", "Resource not found"), Map.of());
            }
        }
    }

    private void token(HttpExchange exchange, String method, HubSpotStub.Received request) throws IOException {
        Map<String, String> form = StubHttp.form(request.body());
        String basic = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        if (!method.equals("POST") || !basic.equals(request.header("Authorization"))) {
            StubHttp.sendJson(exchange, 401, Map.of("error", "invalid_client", "error_description", "client authentication failed"),
                    Map.of());
        } else if (!"refresh_token".equals(form.get("grant_type")) || !refreshToken.equals(form.get("refresh_token"))) {
            StubHttp.sendJson(exchange, 400, Map.of("error", "invalid_grant", "error_description", "the provided authorization refresh"
                    + " token is invalid or was issued to another client"), Map.of());
        } else if (form.get("scope") != null && !SCOPES.containsAll(List.of(form.get("scope").split(" ")))) {
            StubHttp.sendJson(exchange, 400, Map.of("error", "invalid_scope", "error_description", "The requested scope is invalid,"
                    + " unknown, malformed, or exceeds the scope granted to the client"), Map.of());
        } else {
            String access = "v^1.1#i^1#stub#" + UUID.randomUUID();
            accessTokens.add(access);
            StubHttp.sendJson(exchange, 200, Map.of("access_token", access, "expires_in", 7200, "token_type", "User Access Token"),
                    Map.of());
        }
    }

    private void items(HttpExchange exchange, Map<String, String> query) throws IOException {
        int limit = Integer.parseInt(query.getOrDefault("limit", "25"));
        int page = Integer.parseInt(query.getOrDefault("offset", "0"));
        if (limit < 1 || limit > 200) {
            StubHttp.sendJson(exchange, 400, errors(25709, "API_INVENTORY", "Invalid value for limit"), Map.of());
            return;
        }
        List<Map<String, Object>> all = new ArrayList<>(items.values());
        int from = Math.min(page * limit, all.size());
        int to = Math.min(from + limit, all.size());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("href", baseUrl() + ITEMS + "?limit=" + limit + "&offset=" + page);
        answer.put("inventoryItems", all.subList(from, to));
        answer.put("limit", limit);
        if (to < all.size()) {
            answer.put("next", baseUrl() + ITEMS + "?limit=" + limit + "&offset=" + (page + 1));
        }
        answer.put("size", to - from);
        answer.put("total", all.size());
        StubHttp.sendJson(exchange, 200, answer, Map.of());
    }

    @SuppressWarnings("unchecked")
    private synchronized void put(HttpExchange exchange, String sku, HubSpotStub.Received request) throws IOException {
        if (request.header("Content-Language") == null) {
            StubHttp.sendJson(exchange, 400, errors(25709, "API_INVENTORY", "Invalid value for header Content-Language."), Map.of());
            return;
        }
        Map<String, Object> item = new LinkedHashMap<>(JSON.readValue(request.body(), Map.class));
        Integer quantity = item.get("availability") instanceof Map<?, ?> availability
                && availability.get("shipToLocationAvailability") instanceof Map<?, ?> shipping
                && shipping.get("quantity") instanceof Number number ? number.intValue() : null;
        if (quantity != null && quantity < 0) {
            StubHttp.sendJson(exchange, 400, errors(25604, "API_INVENTORY", "Input error. Quantity must be 0 or more."), Map.of());
            return;
        }
        item.put("sku", sku);
        item.put("locale", "en_US");
        items.put(sku, item);
        exchange.sendResponseHeaders(204, -1);
    }

    @SuppressWarnings("unchecked")
    private synchronized void bulk(HttpExchange exchange, String body) throws IOException {
        List<Map<String, Object>> requests = (List<Map<String, Object>>) JSON.readValue(body, Map.class).getOrDefault("requests",
                List.of());
        if (requests.isEmpty() || requests.size() > 25) {
            StubHttp.sendJson(exchange, 400, errors(25002, "API_INVENTORY", "A user error has occurred. The number of requests"
                    + " must be 1 to 25."), Map.of());
            return;
        }
        List<Map<String, Object>> responses = new ArrayList<>();
        boolean all = true;
        for (Map<String, Object> one : requests) {
            String sku = (String) one.get("sku");
            Object quantity = one.get("shipToLocationAvailability") instanceof Map<?, ?> shipping ? shipping.get("quantity") : null;
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("sku", sku);
            Map<String, Object> item = sku == null ? null : items.get(sku);
            if (item == null) {
                response.put("statusCode", 404);
                response.put("errors", List.of(error(25710, "API_INVENTORY", "We didn't find the entity you are requesting: SKU "
                        + sku + ".")));
            } else if (!(quantity instanceof Number number) || number.intValue() < 0) {
                response.put("statusCode", 400);
                response.put("errors", List.of(error(25604, "API_INVENTORY", "Input error. Quantity must be 0 or more.")));
            } else {
                Map<String, Object> updated = new LinkedHashMap<>(item);
                updated.put("availability", Map.of("shipToLocationAvailability", Map.of("quantity", number.intValue())));
                items.put(sku, updated);
                response.put("statusCode", 200);
            }
            all &= Integer.valueOf(200).equals(response.get("statusCode"));
            responses.add(response);
        }
        StubHttp.sendJson(exchange, all ? 200 : 207, Map.of("responses", responses), Map.of());
    }

    private void orders(HttpExchange exchange, Map<String, String> query) throws IOException {
        Instant since = Instant.EPOCH;
        String filter = query.get("filter");
        if (filter != null) {
            Matcher time = SINCE.matcher(filter);
            if (!time.matches()) {
                StubHttp.sendJson(exchange, 400, errors(30700, "API_FULFILLMENT", "Invalid filter name or value: " + filter), Map.of());
                return;
            }
            since = Instant.parse(time.group(1));
        }
        int limit = Integer.parseInt(query.getOrDefault("limit", "50"));
        int offset = Integer.parseInt(query.getOrDefault("offset", "0"));
        if (limit < 1 || limit > 200) {
            StubHttp.sendJson(exchange, 400, errors(30820, "API_FULFILLMENT", "Invalid limit. Supported ranges 1 - 200."), Map.of());
            return;
        }
        Instant after = since;
        List<Map<String, Object>> changed = orders.values().stream()
                .filter(order -> !Instant.parse((String) order.get("lastModifiedDate")).isBefore(after)).toList();
        int from = Math.min(offset, changed.size());
        int to = Math.min(offset + limit, changed.size());
        String filterQuery = filter == null ? "" : "filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8) + "&";
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("href", baseUrl() + ORDERS + "?" + filterQuery + "limit=" + limit + "&offset=" + offset);
        answer.put("limit", limit);
        if (to < changed.size()) {
            answer.put("next", baseUrl() + ORDERS + "?" + filterQuery + "limit=" + limit + "&offset=" + to);
        }
        answer.put("offset", offset);
        answer.put("orders", changed.subList(from, to));
        answer.put("total", changed.size());
        StubHttp.sendJson(exchange, 200, answer, Map.of());
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        StubHttp.sendJson(exchange, 404, errors(25710, "API_INVENTORY", "We didn't find the resource/entity you are requesting."
                + " Please verify the request"), Map.of());
    }
}
