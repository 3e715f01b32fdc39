package io.syncline.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
 * A seller's account on Amazon's Selling Partner API, as Amazon's published descriptions
 * ({@code ordersV0.json}, {@code listingsItems_2021-08-01.json}) and its reference pages describe it, in the
 * test JVM (JDK HttpServer on a free port), with Login with Amazon's token endpoint beside it. Every request is
 * kept, for a test to check against those descriptions ({@link ApiDescription}).
 * <ul>
 *   <li>{@code POST /auth/o2/token} (form): {@code grant_type=refresh_token} with the seller's refresh token and the
 *   app's {@code client_id} and {@code client_secret} in the form; 200 {@code {"access_token", "refresh_token",
 *   "token_type": "bearer", "expires_in": 3600}}, else 400 {@code {"error": "invalid_client" | "invalid_grant",
 *   "error_description"}}.</li>
 *   <li>Every other call: the access token in {@code x-amz-access-token}; anything else 403 with Amazon's error
 *   list {@code {"errors": [{"code": "Unauthorized", "message", "details"}]}}, the shape of every error here.</li>
 *   <li>{@code GET /orders/v0/orders?MarketplaceIds=…&LastUpdatedAfter=…&MaxResultsPerPage=…}: the marketplace's
 *   orders updated at or after the time, {@code {"payload": {"Orders": […], "NextToken", "LastUpdatedBefore"}}},
 *   {@code NextToken} while more follow (sent back as {@code NextToken}); 400 {@code InvalidInput} without
 *   {@code MarketplaceIds}, or without {@code CreatedAfter} or {@code LastUpdatedAfter} on a first page.</li>
 *   <li>{@code GET /orders/v0/orders/{orderId}/orderItems} (getOrderItems): {@code {"payload": {"AmazonOrderId",
 *   "OrderItems": [{"ASIN", "SellerSKU", "OrderItemId", "Title", "QuantityOrdered"}]}}}; 404 {@code NotFound} for an
 *   order the seller does not have.</li>
 *   <li>{@code GET /listings/2021-08-01/items/{sellerId}/{sku}?marketplaceIds=…&includedData=…}: the listing with
 *   its {@code summaries} and, asked for, its {@code attributes}; 404 {@code NOT_FOUND} for a SKU the seller has not
 *   listed.</li>
 *   <li>{@code DELETE} the same: the listing withdrawn, 200 {@code {"sku", "status": "ACCEPTED", "submissionId",
 *   "issues": []}}; 404 {@code NOT_FOUND} for a SKU not listed.</li>
 *   <li>{@code PATCH} the same: {@code {"productType", "patches": [{"op": "replace", "path": "/attributes/<name>",
 *   "value": […]}]}}, each applied; 200 {@code {"sku", "status": "ACCEPTED", "submissionId", "issues": []}}, or
 *   {@code "status": "INVALID"} with an issue of severity {@code ERROR} for a SKU not listed or a negative
 *   quantity.</li>
 *   <li>Rate limits: while {@link #rateLimitNext} is set, 429 {@code QuotaExceeded} with
 *   {@code x-amzn-RateLimit-Limit} (the operation's rate a second) and no {@code Retry-After}.</li>
 * </ul>
 */
public final class AmazonSpStub extends LoopbackStub {

    public static final String TOKEN = "/auth/o2/token";
    public static final String ORDERS = "/orders/v0/orders";
    public static final String LISTINGS = "/listings/2021-08-01/items";
    private static final Pattern LISTING = Pattern.compile(LISTINGS + "/([^/]+)/([^/]+)");
    private static final Pattern ORDER_ITEMS = Pattern.compile(ORDERS + "/([^/]+)/orderItems");
    private static final int DEFAULT_PAGE = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String clientId;
    private final String clientSecret;
    private final String refreshToken;
    private final String sellerId;
    private final String marketplaceId;
    private final Set<String> accessTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, Map<String, Object>> listings = new ConcurrentSkipListMap<>();
    private final Map<String, Map<String, Object>> orders = new ConcurrentSkipListMap<>();
    /** Each order's items, by its AmazonOrderId. */
    private final Map<String, List<Map<String, Object>>> orderItems = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong itemIds = new java.util.concurrent.atomic.AtomicLong(68_828_574_383_266L);

    private AmazonSpStub(String clientId, String clientSecret, String refreshToken, String sellerId, String marketplaceId) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.refreshToken = refreshToken;
        this.sellerId = sellerId;
        this.marketplaceId = marketplaceId;
        serve(this::handle, TOKEN, ORDERS, LISTINGS);
    }

    /** A seller {@code sellerId} in {@code marketplaceId}, whose app and refresh token are these. */
    public static AmazonSpStub start(String clientId, String clientSecret, String refreshToken, String sellerId, String marketplaceId) {
        return new AmazonSpStub(clientId, clientSecret, refreshToken, sellerId, marketplaceId);
    }

    /** Amazon's error list: {@code {"errors": [{"code", "message", "details"}]}}. */
    public static Map<String, Object> errors(String code, String message, String details) {
        return Map.of("errors", List.of(Map.of("code", code, "message", message, "details", details)));
    }

    /** The decoded pairs of a form body, as the token endpoint reads them. */
    public static Map<String, String> form(String body) {
        return StubHttp.form(body);
    }

    /** The next {@code method} request to {@code path} is answered 429, as the operation's rate limit answers it. */
    public void rateLimitNext(String method, String path) {
        ahead.respondNext(method, path, 429, errors("QuotaExceeded", "You exceeded your quota for the requested resource.", ""),
                Map.of("x-amzn-RateLimit-Limit", "5.0", "x-amzn-RequestId", UUID.randomUUID().toString()));
    }

    /** The access tokens the token endpoint gave. */
    public Set<String> accessTokens() {
        return accessTokens;
    }

    /** A listing of the seller's, {@code quantity} of it fulfilled by the seller. */
    public void list(String sku, int quantity) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("item_name", new ArrayList<>(List.of(Map.of("value", "Widget " + sku, "language_tag", "en_US",
                "marketplace_id", marketplaceId))));
        attributes.put("fulfillment_availability", new ArrayList<>(List.of(Map.of("fulfillment_channel_code", "DEFAULT",
                "quantity", quantity))));
        Map<String, Object> listing = new LinkedHashMap<>();
        listing.put("sku", sku);
        listing.put("attributes", attributes);
        listings.put(sku, listing);
    }

    /** The seller sold {@code quantity} of {@code sku}: Amazon took it off the listing's quantity before any order was read. */
    public synchronized void sell(String sku, int quantity) {
        list(sku, quantity(sku) - quantity);
    }

    /** Whether the seller lists {@code sku}. */
    public boolean lists(String sku) {
        return listings.containsKey(sku);
    }

    /** The quantity the seller fulfils of {@code sku}; null where it has no such listing or none. */
    @SuppressWarnings("unchecked")
    public Integer quantity(String sku) {
        Map<String, Object> listing = listings.get(sku);
        if (listing == null) {
            return null;
        }
        Object availability = ((Map<String, Object>) listing.get("attributes")).get("fulfillment_availability");
        return availability instanceof List<?> values && !values.isEmpty() && values.get(0) instanceof Map<?, ?> first
                && first.get("quantity") instanceof Number quantity ? quantity.intValue() : null;
    }

    /** An order of the marketplace, last updated at {@code updated}: {@code AmazonOrderId}, {@code OrderStatus}, the total. */
    public Map<String, Object> order(String id, String status, String amount, Instant updated) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("AmazonOrderId", id);
        order.put("PurchaseDate", updated.minusSeconds(3600).toString());
        order.put("LastUpdateDate", updated.toString());
        order.put("OrderStatus", status);
        order.put("FulfillmentChannel", "MFN");
        order.put("OrderTotal", Map.of("CurrencyCode", "USD", "Amount", amount));
        order.put("MarketplaceId", marketplaceId);
        orders.put(id, order);
        return order;
    }

    /** An order as {@link #order}, of one item a SKU with its quantity ordered. */
    public Map<String, Object> order(String id, String status, String amount, Instant updated, Map<String, Integer> items) {
        List<Map<String, Object>> lines = new ArrayList<>();
        items.forEach((sku, quantity) -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("ASIN", "B00" + Math.abs(sku.hashCode() % 10_000_000));
            item.put("SellerSKU", sku);
            item.put("OrderItemId", Long.toString(itemIds.incrementAndGet()));
            item.put("Title", "Widget " + sku);
            item.put("QuantityOrdered", quantity);
            lines.add(item);
        });
        orderItems.put(id, lines);
        return order(id, status, amount, updated);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            HubSpotStub.Received request = received.record(exchange);
            String method = request.method();
            String path = request.path();
            if (path.equals(TOKEN)) {
                token(exchange, method, request.body());
                return;
            }
            String token = exchange.getRequestHeaders().getFirst("x-amz-access-token");
            if (token == null || !accessTokens.contains(token)) {
                StubHttp.sendJson(exchange, 403, errors("Unauthorized", "Access to requested resource is denied.",
                        "The access token you provided is revoked, malformed or invalid."), Map.of());
                return;
            }
            if (ahead.answered(exchange, method, path, errors("QuotaExceeded", "You exceeded your quota for the requested resource.", ""),
                    () -> Map.of("x-amzn-RateLimit-Limit", "5.0", "x-amzn-RequestId", UUID.randomUUID().toString()))) {
                return;
            }
            Map<String, String> query = StubHttp.form(exchange.getRequestURI().getRawQuery());
            Matcher one = LISTING.matcher(path);
            Matcher items = ORDER_ITEMS.matcher(path);
            if (path.equals(ORDERS) && method.equals("GET")) {
                orders(exchange, query);
            } else if (items.matches() && method.equals("GET")) {
                List<Map<String, Object>> lines = orders.containsKey(items.group(1))
                        ? orderItems.getOrDefault(items.group(1), List.of()) : null;
                if (lines == null) {
                    StubHttp.sendJson(exchange, 404, errors("NotFound", "Order " + items.group(1) + " not found", ""), Map.of());
                } else {
                    StubHttp.sendJson(exchange, 200, Map.of("payload", Map.of("AmazonOrderId", items.group(1), "OrderItems", lines)),
                            Map.of());
                }
            } else if (one.matches() && one.group(1).equals(sellerId) && List.of("GET", "PATCH", "DELETE").contains(method)) {
                if (!marketplaceId.equals(query.get("marketplaceIds"))) {
                    StubHttp.sendJson(exchange, 400, errors("InvalidInput", "Invalid input", "marketplaceIds"), Map.of());
                } else if (method.equals("GET")) {
                    listing(exchange, one.group(2), query.getOrDefault("includedData", "summaries"));
                } else if (method.equals("DELETE")) {
                    delete(exchange, one.group(2));
                } else {
                    patch(exchange, one.group(2), request.body());
                }
            } else {
                StubHttp.sendJson(exchange, 404, errors("NotFound", "Resource not found", path), Map.of());
            }
        }
    }

    private void token(HttpExchange exchange, String method, String body) throws IOException {
        Map<String, String> form = StubHttp.form(body);
        if (!method.equals("POST") || !clientId.equals(form.get("client_id")) || !clientSecret.equals(form.get("client_secret"))) {
            StubHttp.sendJson(exchange, 401, Map.of("error", "invalid_client", "error_description", "Client authentication failed"),
                    Map.of());
        } else if (!"refresh_token".equals(form.get("grant_type")) || !refreshToken.equals(form.get("refresh_token"))) {
            StubHttp.sendJson(exchange, 400, Map.of("error", "invalid_grant", "error_description",
                    "The request has an invalid grant parameter : refresh_token"), Map.of());
        } else {
            String access = "Atza|" + UUID.randomUUID();
            accessTokens.add(access);
            StubHttp.sendJson(exchange, 200, Map.of("access_token", access, "refresh_token", refreshToken, "token_type", "bearer",
                    "expires_in", 3600), Map.of());
        }
    }

    private void orders(HttpExchange exchange, Map<String, String> query) throws IOException {
        if (!marketplaceId.equals(query.get("MarketplaceIds"))) {
            StubHttp.sendJson(exchange, 400, errors("InvalidInput", "Invalid Input", "MarketplaceIds"), Map.of());
            return;
        }
        int offset = 0;
        String after = query.get("LastUpdatedAfter");
        if (query.get("NextToken") != null) {
            String[] token = new String(Base64.getUrlDecoder().decode(query.get("NextToken")), StandardCharsets.UTF_8).split("\\|", 2);
            offset = Integer.parseInt(token[0]);
            after = token[1];
        } else if (after == null && query.get("CreatedAfter") == null) {
            StubHttp.sendJson(exchange, 400, errors("InvalidInput", "Either CreatedAfter or LastUpdatedAfter must be specified",
                    ""), Map.of());
            return;
        }
        Instant since = after == null || after.isEmpty() ? Instant.EPOCH : Instant.parse(after);
        int size = Integer.parseInt(query.getOrDefault("MaxResultsPerPage", Integer.toString(DEFAULT_PAGE)));
        List<Map<String, Object>> changed = orders.values().stream()
                .filter(order -> !Instant.parse((String) order.get("LastUpdateDate")).isBefore(since)).toList();
        List<Map<String, Object>> page = changed.subList(Math.min(offset, changed.size()), Math.min(offset + size, changed.size()));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("Orders", page);
        if (offset + size < changed.size()) {
            payload.put("NextToken", Base64.getUrlEncoder().encodeToString(((offset + size) + "|" + since).getBytes(StandardCharsets.UTF_8)));
        }
        payload.put("LastUpdatedBefore", Instant.now().toString());
        StubHttp.sendJson(exchange, 200, Map.of("payload", payload), Map.of());
    }

    private void listing(HttpExchange exchange, String sku, String includedData) throws IOException {
        Map<String, Object> listing = listings.get(sku);
        if (listing == null) {
            StubHttp.sendJson(exchange, 404, errors("NOT_FOUND", "SKU '" + sku + "' not found in marketplace " + marketplaceId, ""),
                    Map.of());
            return;
        }
        List<String> included = Arrays.asList(includedData.split(","));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("sku", sku);
        if (included.contains("summaries")) {
            answer.put("summaries", List.of(Map.of("marketplaceId", marketplaceId, "asin", "B0STUB" + Math.abs(sku.hashCode() % 10000),
                    "productType", "PRODUCT", "status", List.of("BUYABLE"), "itemName", "Widget " + sku,
                    "createdDate", "2026-01-01T00:00:00Z", "lastUpdatedDate", Instant.now().toString())));
        }
        if (included.contains("attributes")) {
            answer.put("attributes", listing.get("attributes"));
        }
        StubHttp.sendJson(exchange, 200, answer, Map.of());
    }

    @SuppressWarnings("unchecked")
    private synchronized void patch(HttpExchange exchange, String sku, String body) throws IOException {
        Map<String, Object> request = JSON.readValue(body, Map.class);
        Map<String, Object> listing = listings.get(sku);
        List<Map<String, Object>> issues = new ArrayList<>();
        if (listing == null) {
            issues.add(issue("4000004", "The SKU '" + sku + "' does not match any listing of the seller in marketplace " + marketplaceId,
                    List.of()));
        }
        List<Map<String, Object>> patches = (List<Map<String, Object>>) request.getOrDefault("patches", List.of());
        for (Map<String, Object> patch : patches) {
            Object value = patch.get("value");
            if (value instanceof List<?> values && !values.isEmpty() && values.get(0) instanceof Map<?, ?> first
                    && first.get("quantity") instanceof Number quantity && quantity.intValue() < 0) {
                issues.add(issue("90220", "'quantity' must be 0 or more", List.of("fulfillment_availability")));
            }
        }
        String submission = UUID.randomUUID().toString().replace("-", "");
        if (!issues.isEmpty()) {
            StubHttp.sendJson(exchange, 200, Map.of("sku", sku, "status", "INVALID", "submissionId", submission, "issues", issues), Map.of());
            return;
        }
        Map<String, Object> attributes = (Map<String, Object>) listing.get("attributes");
        for (Map<String, Object> patch : patches) {
            String name = ((String) patch.get("path")).replaceFirst("^/attributes/", "");
            if ("delete".equals(patch.get("op"))) {
                attributes.remove(name);
            } else {
                attributes.put(name, patch.get("value"));
            }
        }
        StubHttp.sendJson(exchange, 200, Map.of("sku", sku, "status", "ACCEPTED", "submissionId", submission, "issues", List.of()),
                Map.of());
    }

    private void delete(HttpExchange exchange, String sku) throws IOException {
        if (listings.remove(sku) == null) {
            StubHttp.sendJson(exchange, 404, errors("NOT_FOUND", "SKU '" + sku + "' not found in marketplace " + marketplaceId, ""),
                    Map.of());
            return;
        }
        StubHttp.sendJson(exchange, 200, Map.of("sku", sku, "status", "ACCEPTED", "submissionId", UUID.randomUUID().toString()
                .replace("-", ""), "issues", List.of()), Map.of());
    }

    private static Map<String, Object> issue(String code, String message, List<String> attributes) {
        return Map.of("code", code, "message", message, "severity", "ERROR", "attributeNames", attributes);
    }
}
