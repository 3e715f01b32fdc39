package io.syncline.connector.ebay;

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
import io.syncline.connector.spi.RecordOutcome;
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
 * System type {@code ebay}: a seller's eBay inventory items and orders, through the Sell Inventory and Sell
 * Fulfillment APIs. The preset ({@code presets/ebay.yaml}) fixes what eBay fixes for every seller (the user token
 * from the seller's refresh token, the app's credentials as HTTP Basic, the {@code next} of each page, the
 * {@code Content-Language} the Inventory API requires); this plug-in does what data cannot say:
 * <ul>
 *   <li>An inventory item is named by the seller's SKU: a record Syncline has not linked yet is written to the
 *   item of its own SKU (the mapping's key) by {@code PUT /sell/inventory/v1/inventory_item/{sku}}, which creates
 *   or replaces it; an item the seller already has keeps what the mapping does not write.</li>
 *   <li>A change of the ship-to-home quantity alone ({@code availability.shipToLocationAvailability.quantity}) goes
 *   to {@code POST /sell/inventory/v1/bulk_update_price_quantity}, up to 25 items a call; eBay answers each item's
 *   {@code statusCode} and {@code errors} in the order sent. Any other change replaces the item: read, the change
 *   laid over it, and put back, as {@code PUT} replaces every member it leaves out.</li>
 * </ul>
 */
@Singleton
public class EbaySystemType extends RestPresetType {

    public static final String NAME = "ebay";

    /** Items written in batches; orders polled; nothing can be erased through the Sell APIs (eBay keeps its orders). */
    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(Ability.BATCH_WRITE), Set.of(Ability.ERASE));

    /** Most items one {@code bulk_update_price_quantity} call takes. */
    static final int BULK_LIMIT = 25;
    static final String AVAILABILITY = "availability";
    static final String SHIP_TO_HOME = "shipToLocationAvailability";
    static final String BULK_UPDATE = "/sell/inventory/v1/bulk_update_price_quantity";
    /** Members of an item that a read gives and a {@code PUT} does not take: it names the item by its path. */
    private static final Set<String> READ_ONLY = Set.of("sku", "locale", "groupIds", "inventoryItemGroupKeys");

    public EbaySystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
    }

    /** A poll's {@code changes.resource} that reads the line items of the orders changed, each a record. */
    static final String ORDER_LINES = "/sell/fulfillment/v1/order/lineItems";

    /**
     * The orders' line items where the poll asks for them ({@link #ORDER_LINES}): getOrders read as the preset lists
     * them, each of an order's {@code lineItems} a record with the order's members ({@code orderId},
     * {@code lastModifiedDate}, {@code orderFulfillmentStatus}, …) beside its own; else the pages as they are.
     */
    @Override
    protected PullResult pull(RecordPuller pages, PullRequest request, PageSink sink) throws PullException {
        if (!changesAt(request, ORDER_LINES)) {
            return pages.pull(request, sink);
        }
        return pages.pull(changesOf(request, "orders"), page -> {
            List<Map<String, Object>> lines = new ArrayList<>();
            for (Map<String, Object> order : page) {
                for (Map<String, Object> item : records(order.get("lineItems"))) {
                    Map<String, Object> line = new LinkedHashMap<>(item);
                    order.forEach((member, value) -> {
                        if (!member.equals("lineItems")) {
                            line.putIfAbsent(member, value);
                        }
                    });
                    lines.add(line);
                }
            }
            sink.accept(lines);
        });
    }

    /** The item of the record's own SKU, created (or replaced) by {@code PUT}; the SKU is its id. */
    @Override
    public String create(String entity, String system, Map<String, Object> row) {
        RestTarget target = target(entity, system);
        Object sku = row.get(target.keyPath());
        if (sku == null || sku.toString().isBlank()) {
            throw new TargetRejectedException(system, 0, null, "an eBay inventory item is named by its SKU: the mapping of " + entity
                    + " writes no " + target.keyPath());
        }
        Optional<Map<String, Object>> current = fetch(entity, system, sku.toString());
        if (current.isPresent()) {
            replace(target, sku.toString(), current.get(), row);
        } else {
            put(target, sku.toString(), item(target, row));
        }
        return sku.toString();
    }

    /** A quantity alone by {@code bulk_update_price_quantity}; anything else by replacing the item with the change laid over it. */
    @Override
    public void update(String entity, String system, String id, Map<String, Object> row) {
        RestTarget target = target(entity, system);
        if (quantityOnly(target, row)) {
            RecordOutcome outcome = bulkUpdate(target, List.of(row), List.of(id)).get(0);
            if (outcome == null || !outcome.success()) {
                throw new TargetRejectedException(system, outcome == null ? 0 : outcome.status(), null, system + " refused POST "
                        + BULK_UPDATE + " for " + id + ": " + (outcome == null ? "no response for the item" : outcome.error()));
            }
            return;
        }
        Map<String, Object> current = fetch(entity, system, id).orElseThrow(() -> new TargetRejectedException(system, 404, null,
                system + " has no inventory item " + id + " to update"));
        replace(target, id, current, row);
    }

    /** The item {@code sku} replaced by what it is now with the mapped record laid over it. */
    private void replace(RestTarget target, String sku, Map<String, Object> current, Map<String, Object> row) {
        Map<String, Object> item = new LinkedHashMap<>(current);
        READ_ONLY.forEach(item::remove);
        merge(item, item(target, row));
        put(target, sku, item);
    }

    @Override
    protected int batchLimit() {
        return BULK_LIMIT;
    }

    @Override
    protected BatchCall batchCall(RestTarget target, boolean creating) {
        return new BatchCall("POST", target.at(BULK_UPDATE), "POST " + BULK_UPDATE);
    }

    /**
     * A batch's updates: those of a quantity alone in one {@code bulk_update_price_quantity} call, any other each by
     * {@link #update} (a batch's creates are not sent here: no search finds an item again).
     */
    @Override
    protected List<RecordOutcome> batch(String entity, String system, List<Map<String, Object>> rows, List<String> ids) {
        RestTarget target = target(entity, system);
        List<RecordOutcome> outcomes = new ArrayList<>(rows.size());
        List<Integer> bulk = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            outcomes.add(null);
            if (ids.get(i) != null && quantityOnly(target, rows.get(i))) {
                bulk.add(i);
            }
        }
        if (!bulk.isEmpty()) {
            List<RecordOutcome> answered = bulkUpdate(target, bulk.stream().map(rows::get).toList(),
                    bulk.stream().map(ids::get).toList());
            for (int i = 0; i < bulk.size(); i++) {
                outcomes.set(bulk.get(i), answered.get(i));
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            if (!bulk.contains(i)) {
                try {
                    if (ids.get(i) == null) {
                        outcomes.set(i, RecordOutcome.written(create(entity, system, rows.get(i)), true));
                    } else {
                        update(entity, system, ids.get(i), rows.get(i));
                        outcomes.set(i, RecordOutcome.written(ids.get(i), false));
                    }
                } catch (TargetRejectedException e) {
                    outcomes.set(i, RecordOutcome.refused(e.getMessage(), e.status()));
                }
            }
        }
        return outcomes;
    }

    /**
     * One {@code bulk_update_price_quantity} call: {@code {"requests": [{"sku", "shipToLocationAvailability":
     * {"quantity"}}]}}; each item's outcome from the {@code responses} eBay gives in the order sent (200: written;
     * else refused with its errors' messages); null where it gives none.
     */
    List<RecordOutcome> bulkUpdate(RestTarget target, List<Map<String, Object>> rows, List<String> skus) {
        List<Map<String, Object>> requests = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            requests.add(Map.of("sku", skus.get(i), SHIP_TO_HOME, shipToHome(rows.get(i))));
        }
        URI uri = target.at(BULK_UPDATE);
        HttpResponse<String> response = client().call(target, "POST", uri, Map.of("requests", requests), status -> false);
        Map<String, Object> answer = answer(target, "POST " + BULK_UPDATE, response);
        List<Map<String, Object>> responses = records(answer.get("responses"));
        List<RecordOutcome> outcomes = new ArrayList<>(skus.size());
        for (String sku : skus) {
            Map<String, Object> one = responses.stream().filter(each -> sku.equals(each.get("sku"))).findFirst().orElse(null);
            if (one == null) {
                outcomes.add(null);
            } else if (one.get("statusCode") instanceof Number status && status.intValue() / 100 == 2) {
                outcomes.add(RecordOutcome.written(sku, false));
            } else {
                int status = one.get("statusCode") instanceof Number number ? number.intValue() : response.statusCode();
                outcomes.add(RecordOutcome.refused(errors(one.get("errors")), status));
            }
        }
        return outcomes;
    }

    /** Whether the mapped record writes nothing but the item's ship-to-home quantity (beside its SKU). */
    private static boolean quantityOnly(RestTarget target, Map<String, Object> row) {
        for (Map.Entry<String, Object> member : row.entrySet()) {
            if (member.getKey().equals(target.keyPath())) {
                continue;
            }
            if (!member.getKey().equals(AVAILABILITY) || !(member.getValue() instanceof Map<?, ?> availability)
                    || !availability.keySet().equals(Set.of(SHIP_TO_HOME))) {
                return false;
            }
        }
        return row.get(AVAILABILITY) != null;
    }

    @SuppressWarnings("unchecked")
    private static Object shipToHome(Map<String, Object> row) {
        return ((Map<String, Object>) row.get(AVAILABILITY)).get(SHIP_TO_HOME);
    }

    /** The mapped record as the body of a {@code PUT}: without its SKU, which the path names. */
    private Map<String, Object> item(RestTarget target, Map<String, Object> row) {
        Map<String, Object> item = new LinkedHashMap<>(write(row));
        item.remove(target.keyPath());
        return item;
    }

    private void put(RestTarget target, String sku, Map<String, Object> item) {
        client().call(target, "PUT", target.item(sku), item, status -> false);
    }

    /** {@code change}'s members laid over {@code item}'s, object members merged member by member. */
    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> item, Map<String, Object> change) {
        change.forEach((name, value) -> {
            if (value instanceof Map<?, ?> nested && item.get(name) instanceof Map<?, ?> existing) {
                Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) existing);
                merge(merged, (Map<String, Object>) nested);
                item.put(name, merged);
            } else {
                item.put(name, value);
            }
        });
    }

    /** eBay's error list as one reason: each error's message and id. */
    private static String errors(Object errors) {
        List<Map<String, Object>> list = records(errors);
        if (list.isEmpty()) {
            return "no error named";
        }
        return list.stream().map(error -> error.get("message") + (error.get("errorId") == null ? "" : " (" + error.get("errorId") + ")"))
                .collect(Collectors.joining("; "));
    }
}
