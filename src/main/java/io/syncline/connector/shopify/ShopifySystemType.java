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
import io.syncline.model.Ability;
import jakarta.inject.Singleton;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

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
 */
@Singleton
public class ShopifySystemType extends RestPresetType {

    public static final String NAME = "shopify";

    public static final Set<Ability> ABILITIES = PresetAbilities.of(Set.of(Ability.SEARCH), Set.of());

    /** The customer fields Shopify's search query takes as {@code field:value}. */
    private static final Set<String> SEARCHABLE = Set.of("email", "phone", "first_name", "last_name");

    public ShopifySystemType(SyncModelRegistry registry, RestSystemType rest, ObjectMapper json, RestConnections connections) {
        super(NAME, ABILITIES, registry, rest, json, connections);
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
