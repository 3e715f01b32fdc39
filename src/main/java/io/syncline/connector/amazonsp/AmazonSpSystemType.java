package io.syncline.connector.amazonsp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.rest.PresetAbilities;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestPresetType;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.connector.rest.RestTarget;
import io.syncline.connector.spi.PageSink;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.failure.TargetRejectedException;
import io.syncline.model.Ability;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * System type {@code amazon-sp}: Amazon's Selling Partner API, a seller's listings and orders in one
 * marketplace. The preset ({@code presets/amazon-sp.yaml}) fixes what Amazon fixes for every seller (the
 * Login with Amazon refresh token and its access token in {@code x-amz-access-token}, the Orders API's
 * {@code payload.Orders} pages by {@code NextToken}, the listings under the seller's id, the rate limit);
 * this plug-in does what data cannot say: a listing's attributes are written as JSON Patch operations of the
 * Listings Items API ({@code PATCH /listings/2021-08-01/items/{sellerId}/{sku}}, {@code {"productType",
 * "patches": [{"op": "replace", "path": "/attributes/<name>", "value": […]}]}}) and read from the listing's
 * {@code attributes}, each attribute's first value as the mapping reads and writes it
 * ({@code fulfillment_availability.quantity}).
 * <ul>
 *   <li>A listing is named by the seller's SKU: a record Syncline has not linked yet is written to the listing
 *   of its own SKU (the mapping's key), which must exist; Amazon refuses a SKU the seller has not listed.</li>
 *   <li>An attribute written as an object is sent as that one value ({@code fulfillment_availability}, with
 *   {@code fulfillment_channel_code} {@code DEFAULT}, the seller's own fulfilment, where the mapping names
 *   none); a plain value as {@code [{"value": …}]}.</li>
 *   <li>A poll whose {@code changes.resource} is {@code /orders/v0/orders/{orderId}/orderItems} reads the orders
 *   changed since its watermark and, for each, its items (getOrderItems, by {@code NextToken} to the last): each
 *   item a record of its own, its {@code SellerSKU} also as {@code sku} (a listing's key) and its order's
 *   {@code AmazonOrderId}, {@code OrderStatus} and {@code LastUpdateDate} beside it, so that an order's lines can
 *   take their quantities off the stock.</li>
 * </ul>
 */
@Singleton
public class AmazonSpSystemType extends RestPresetType {

    public static final String NAME = "amazon-sp";

    /** Orders are polled and listings written; neither can be erased through the API (Amazon keeps its orders). */
    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(), Set.of(Ability.ERASE));

    /** The system's setting naming the product type a patch names where the mapping writes none. */
    static final String PRODUCT_TYPE = "productType";
    /** The product type of a patch of offer-only attributes (quantity, price), where nothing else is known. */
    static final String ANY_PRODUCT_TYPE = "PRODUCT";
    /** The system's setting naming its marketplace, which every listing call names. */
    static final String MARKETPLACE = "marketplaceId";
    /** A listing's quantity, by the channel that fulfils it. */
    static final String FULFILLMENT_AVAILABILITY = "fulfillment_availability";

    /** A poll's {@code changes.resource} that reads the items of the orders changed, each a record. */
    static final String ORDER_ITEMS = "/orders/v0/orders/{orderId}/orderItems";
    /** The order members each of its items carries beside its own. */
    private static final List<String> ORDER_MEMBERS = List.of("AmazonOrderId", "OrderStatus", "LastUpdateDate", "PurchaseDate");

    public AmazonSpSystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
    }

    /** The orders' items where the poll asks for them ({@link #ORDER_ITEMS}); else the pages as the preset lists them. */
    @Override
    protected PullResult pull(RecordPuller pages, PullRequest request, PageSink sink) throws PullException {
        if (!changesAt(request, ORDER_ITEMS)) {
            return pages.pull(request, sink);
        }
        RestTarget target = target(request.entity(), request.systemName());
        return pages.pull(changesOf(request, "orders"), page -> {
            List<Map<String, Object>> items = new ArrayList<>();
            for (Map<String, Object> order : page) {
                items.addAll(items(target, order));
            }
            sink.accept(items);
        });
    }

    /** getOrderItems, every page: each item with its SKU as {@code sku} and its order's members beside it. */
    private List<Map<String, Object>> items(RestTarget target, Map<String, Object> order) {
        String path = ORDER_ITEMS.replace("{orderId}", java.net.URLEncoder.encode(String.valueOf(order.get("AmazonOrderId")),
                java.nio.charset.StandardCharsets.UTF_8));
        List<Map<String, Object>> items = new ArrayList<>();
        String next = null;
        do {
            URI uri = target.at(next == null ? path : path + "?NextToken=" + java.net.URLEncoder.encode(next,
                    java.nio.charset.StandardCharsets.UTF_8));
            Map<String, Object> answer = answer(target, "GET " + path, client().call(target, "GET", uri, null, status -> false));
            Map<?, ?> payload = answer.get("payload") instanceof Map<?, ?> map ? map : Map.of();
            for (Map<String, Object> item : records(payload.get("OrderItems"))) {
                Map<String, Object> line = new LinkedHashMap<>(item);
                line.put("sku", item.get("SellerSKU"));
                ORDER_MEMBERS.forEach(member -> line.putIfAbsent(member, order.get(member)));
                items.add(line);
            }
            next = payload.get("NextToken") instanceof String token && !token.isBlank() ? token : null;
        } while (next != null);
        return items;
    }

    /** The listing of the record's own SKU, patched; the SKU is its id. */
    @Override
    public String create(String entity, String system, Map<String, Object> row) {
        RestTarget target = target(entity, system);
        Object sku = row.get(target.keyPath());
        if (sku == null || sku.toString().isBlank()) {
            throw new TargetRejectedException(system, 0, null, "an Amazon listing is named by its SKU: the mapping of " + entity
                    + " writes no " + target.keyPath());
        }
        patch(target, sku.toString(), row);
        return sku.toString();
    }

    @Override
    public void update(String entity, String system, String id, Map<String, Object> row) {
        patch(target(entity, system), id, row);
    }

    /** {@code GET} the listing with its attributes, read as the mapping reads them; empty where the seller has no such SKU. */
    @Override
    public Optional<Map<String, Object>> fetch(String entity, String system, String id) {
        RestTarget target = target(entity, system);
        URI uri = withQuery(listing(target, id), "includedData=summaries,attributes");
        HttpResponse<String> response = client().call(target, "GET", uri, null, status -> status == 404);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(read(answer(target, "GET " + uri.getRawPath(), response)));
    }

    /** {@code DELETE} the listing: withdrawn from the marketplace; one the seller no longer has (404) is deleted already. */
    @Override
    public boolean delete(String entity, String system, String id) {
        RestTarget target = target(entity, system);
        return client().call(target, "DELETE", listing(target, id), null, status -> status == 404).statusCode() / 100 == 2;
    }

    /** A listing as the mapping reads it: each attribute's first value beside the listing's own members. */
    @Override
    protected Map<String, Object> read(Map<String, Object> listing) {
        Map<String, Object> record = new LinkedHashMap<>(listing);
        if (listing.get("attributes") instanceof Map<?, ?> attributes) {
            attributes.forEach((name, values) -> {
                if (values instanceof List<?> list && !list.isEmpty()) {
                    Object first = list.get(0);
                    record.putIfAbsent(name.toString(), first instanceof Map<?, ?> value && value.containsKey("value")
                            && !FULFILLMENT_AVAILABILITY.equals(name) ? value.get("value") : first);
                }
            });
        }
        return record;
    }

    private void patch(RestTarget target, String sku, Map<String, Object> row) {
        Map<String, Object> body = patchRequest(target, row);
        URI uri = listing(target, sku);
        HttpResponse<String> response = client().call(target, "PATCH", uri, body, status -> false);
        Map<String, Object> answer = answer(target, "PATCH " + uri.getRawPath(), response);
        if ("INVALID".equals(answer.get("status"))) {
            throw new TargetRejectedException(target.system(), response.statusCode(), null, target.system() + " refused PATCH "
                    + uri.getRawPath() + ": INVALID: " + issues(answer.get("issues")));
        }
    }

    /** {@code {"productType", "patches": [{"op": "replace", "path": "/attributes/<name>", "value": [ … ]}]}} of a mapped record. */
    Map<String, Object> patchRequest(RestTarget target, Map<String, Object> row) {
        List<Map<String, Object>> patches = new ArrayList<>();
        Object productType = row.get(PRODUCT_TYPE);
        row.forEach((name, value) -> {
            if (!name.equals(target.keyPath()) && !name.equals(PRODUCT_TYPE) && value != null) {
                patches.add(Map.of("op", "replace", "path", "/attributes/" + name, "value", values(name, value)));
            }
        });
        if (patches.isEmpty()) {
            throw new TargetRejectedException(target.system(), 0, null, "nothing to write to the Amazon listing: the mapping writes"
                    + " no attribute beside its key " + target.keyPath());
        }
        String type = productType != null ? productType.toString()
                : target.definition().settings().getOrDefault(PRODUCT_TYPE, ANY_PRODUCT_TYPE);
        return Map.of("productType", type, "patches", patches);
    }

    private static List<?> values(String name, Object value) {
        if (value instanceof List<?> list) {
            return list;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> one = new LinkedHashMap<>(map);
            if (FULFILLMENT_AVAILABILITY.equals(name)) {
                // the seller's own fulfilment: Amazon's (FBA) quantities are Amazon's to set
                one.putIfAbsent("fulfillment_channel_code", "DEFAULT");
            }
            return List.of(one);
        }
        return List.of(Map.of("value", value));
    }

    private static String issues(Object issues) {
        if (!(issues instanceof List<?> list) || list.isEmpty()) {
            return "no issue named";
        }
        return list.stream().map(issue -> issue instanceof Map<?, ?> map
                ? map.get("message") + (map.get("code") == null ? "" : " (" + map.get("code") + ")") : String.valueOf(issue))
                .collect(Collectors.joining("; "));
    }

    /** The listing of {@code sku}, in the system's marketplace: {@code …/items/{sellerId}/{sku}?marketplaceIds=…}. */
    private static URI listing(RestTarget target, String sku) {
        return withQuery(target.item(sku), "marketplaceIds=" + java.net.URLEncoder.encode(
                target.definition().settings().getOrDefault(MARKETPLACE, ""), java.nio.charset.StandardCharsets.UTF_8));
    }

    private static URI withQuery(URI uri, String parameters) {
        String text = uri.toString();
        return URI.create(text + (text.contains("?") ? "&" : "?") + parameters);
    }
}
