package io.syncline.connector.shopify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.compiled.CompiledModel;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.rest.PresetAbilities;
import io.syncline.connector.rest.RestConnections;
import io.syncline.connector.rest.RestPresetType;
import io.syncline.connector.rest.RestSystemType;
import io.syncline.connector.rest.RestTarget;
import io.syncline.connector.spi.SearchTerms;
import io.syncline.failure.TargetRejectedException;
import io.syncline.model.Ability;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * System type {@code shopify}: Shopify's Admin REST API. The preset ({@code presets/shopify.yaml})
 * fixes what Shopify fixes for every shop (the access token header, Link-header pages of 250, the
 * leaky bucket, the signed webhooks and their id header, each object's envelope and {@code .json}
 * paths); the REST code reads, fetches and writes its records as that data says. This plug-in
 * adds Shopify's customer search for matching, so that a customer the shop already has is linked
 * rather than created twice (Shopify refuses a second customer of one e-mail with 422 "has already
 * been taken"): {@code GET …/customers/search.json?query=email:<value>} for each of the entity's
 * match rules on a field Shopify searches by, each hit (under the object's list member, as
 * {@link RestPresetType} reads it) a candidate that the rules then score.
 *
 * <p>It also writes and reads a variant's stock at the shop's location (the InventoryLevel resource, a
 * mapping's {@code resource: inventory_levels}): a record is named by its variant's id, whose
 * inventory item ({@code GET …/variants/{id}.json}, kept once read: a variant's item never changes) is
 * set at the system's {@code settings.locationId} by {@code POST …/inventory_levels/set.json
 * {"location_id", "inventory_item_id", "available"}}, and read by {@code GET
 * …/inventory_levels.json?inventory_item_ids=…&location_ids=…}.
 */
@Singleton
public class ShopifySystemType extends RestPresetType {

    public static final String NAME = "shopify";

    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(Ability.SEARCH), Set.of());

    /** The customer fields Shopify's search query takes as {@code field:value}. */
    private static final Set<String> SEARCHABLE = Set.of("email", "phone", "first_name", "last_name");

    /** A mapping's resource of a variant's stock at the shop's location. */
    static final String INVENTORY_LEVELS = "/inventory_levels.json";
    /** The system's setting naming the location whose stock is read and set. */
    static final String LOCATION = "locationId";

    /** Each variant's inventory item id, by system and variant id: fixed once the variant exists. */
    private final Map<String, Long> inventoryItems = new ConcurrentHashMap<>();

    public ShopifySystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
    }

    /** A variant's stock set at the location; the record is named by the variant's id (the mapping's key). */
    @Override
    public String create(String entity, String system, Map<String, Object> row) {
        RestTarget target = target(entity, system);
        if (!levels(target)) {
            return super.create(entity, system, row);
        }
        Object variant = row.get(target.keyPath());
        if (variant == null) {
            throw new TargetRejectedException(system, 0, null, "a Shopify inventory level is named by its variant's id: the mapping"
                    + " of " + entity + " writes no " + target.keyPath());
        }
        set(target, variant.toString(), row);
        return variant.toString();
    }

    @Override
    public void update(String entity, String system, String id, Map<String, Object> row) {
        RestTarget target = target(entity, system);
        if (levels(target)) {
            set(target, id, row);
        } else {
            super.update(entity, system, id, row);
        }
    }

    /** The variant's stock at the location, beside its variant id, SKU and inventory item id; empty where the shop has no such variant. */
    @Override
    public Optional<Map<String, Object>> fetch(String entity, String system, String id) {
        RestTarget target = target(entity, system);
        if (!levels(target)) {
            return super.fetch(entity, system, id);
        }
        Optional<Map<String, Object>> variant = variant(target, id);
        if (variant.isEmpty()) {
            return Optional.empty();
        }
        long item = ((Number) variant.get().get("inventory_item_id")).longValue();
        URI uri = target.at("/inventory_levels.json?inventory_item_ids=" + item + "&location_ids=" + location(target));
        Map<String, Object> answer = answer(target, "GET " + uri.getRawPath(), client().call(target, "GET", uri, null, status -> false));
        Map<String, Object> record = new LinkedHashMap<>();
        record.put(target.keyPath(), variant.get().get("id"));
        record.put("sku", variant.get().get("sku"));
        record.put("inventory_item_id", item);
        records(answer.get("inventory_levels")).stream().findFirst().ifPresent(level -> {
            record.put("location_id", level.get("location_id"));
            record.put("available", level.get("available"));
        });
        return Optional.of(record);
    }

    /** An inventory level is not deleted through Syncline: a variant the warehouse drops keeps its stock in the shop. */
    @Override
    public boolean delete(String entity, String system, String id) {
        RestTarget target = target(entity, system);
        if (levels(target)) {
            throw new TargetRejectedException(system, 0, null, "Syncline does not delete a Shopify inventory level (variant " + id
                    + "): set its stock to 0 instead");
        }
        return super.delete(entity, system, id);
    }

    /** {@code POST …/inventory_levels/set.json {"location_id", "inventory_item_id", "available"}}: the stock, set. */
    private void set(RestTarget target, String variantId, Map<String, Object> row) {
        Object available = row.get("available");
        if (!(available instanceof Number)) {
            throw new TargetRejectedException(target.system(), 0, null, "nothing to set in Shopify's inventory level of variant "
                    + variantId + ": the mapping writes no number at available");
        }
        long item = inventoryItems.computeIfAbsent(target.system() + "/" + variantId, key -> ((Number) variant(target, variantId)
                .orElseThrow(() -> new TargetRejectedException(target.system(), 404, null, "Shopify has no variant " + variantId))
                .get("inventory_item_id")).longValue());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("location_id", location(target));
        body.put("inventory_item_id", item);
        body.put("available", ((Number) available).longValue());
        URI uri = target.at("/inventory_levels/set.json");
        answer(target, "POST " + uri.getRawPath(), client().call(target, "POST", uri, body, status -> false));
    }

    /** {@code GET …/variants/{id}.json}, out of its {@code variant} root; empty for 404. */
    private Optional<Map<String, Object>> variant(RestTarget target, String variantId) {
        URI uri = target.at("/variants/" + URLEncoder.encode(variantId, StandardCharsets.UTF_8) + ".json");
        HttpResponse<String> response = client().call(target, "GET", uri, null, status -> status == 404);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        Object variant = answer(target, "GET " + uri.getRawPath(), response).get("variant");
        @SuppressWarnings("unchecked")
        Map<String, Object> found = variant instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
        if (found == null || !(found.get("inventory_item_id") instanceof Number)) {
            throw new TargetRejectedException(target.system(), response.statusCode(), null, "Shopify's variant " + variantId
                    + " names no inventory_item_id");
        }
        return Optional.of(found);
    }

    private static long location(RestTarget target) {
        String location = target.definition().settings().get(LOCATION);
        if (location == null || !location.matches("\\d+")) {
            throw new TargetRejectedException(target.system(), 0, null, "Shopify's inventory levels are set at a location: name"
                    + " its id in settings.locationId of system " + target.system());
        }
        return Long.parseLong(location);
    }

    private static boolean levels(RestTarget target) {
        return INVENTORY_LEVELS.equals(target.resource());
    }

    /** Its token, then each webhook path among the app's subscriptions with its object's topics ({@link ShopifyWebhookCheck}). */
    @Override
    protected io.syncline.connector.rest.RestSystemCheck.Probe probe() {
        return new ShopifyWebhookCheck(client());
    }

    /**
     * {@code …/customers/search.json?query=email:ada@example.com}; a value with a space or a quote
     * is quoted, as Shopify's search syntax asks. Null for a field Shopify does not search by.
     */
    @Override
    protected URI searchUri(CompiledModel model, String entity, String system, RestTarget target, SearchTerms.Term term) {
        String collection = target.collection().toString();
        if (!SEARCHABLE.contains(term.path()) || !collection.endsWith(".json")) {
            return null;
        }
        String value = term.value().matches("[^\\s\"'()]+") ? term.value()
                : "\"" + term.value().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        return URI.create(collection.substring(0, collection.length() - ".json".length()) + "/search.json?query="
                + URLEncoder.encode(term.path() + ":" + value, StandardCharsets.UTF_8));
    }
}
