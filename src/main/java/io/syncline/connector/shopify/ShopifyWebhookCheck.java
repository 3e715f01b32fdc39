package io.syncline.connector.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connector.rest.HttpTargetClient;
import io.syncline.connector.rest.RestMappingSettings;
import io.syncline.connector.rest.RestSystemCheck;
import io.syncline.connector.rest.RestTarget;
import io.syncline.connector.spi.SystemCheck;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Shopify system's webhooks, checked in the shop: {@code GET …/webhooks.json} lists the app's
 * subscriptions, one topic and address each; each webhook path of the model must be the address of
 * the create and update topics of the entity's object ({@code customers/create},
 * {@code customers/update}; an order's update is {@code orders/updated}).
 */
final class ShopifyWebhookCheck implements RestSystemCheck.Probe {

    /** An object's update topic where it is not {@code <object>/update}. */
    private static final Map<String, String> UPDATE_TOPICS = Map.of("orders", "orders/updated");

    private final HttpTargetClient client;
    private final ObjectMapper json;

    ShopifyWebhookCheck(HttpTargetClient client, ObjectMapper json) {
        this.client = client;
        this.json = json;
    }

    @Override
    public List<SystemCheck> webhooks(String system, Map<String, String> paths, List<RestSystemCheck.Mapped> mapped) {
        RestTarget any = mapped.get(0).target();
        JsonNode subscriptions;
        try {
            subscriptions = json.readTree(client.call(any, "GET", subscriptions(any), null, status -> false).body()).path("webhooks");
        } catch (IOException | RuntimeException e) {
            return List.of(SystemCheck.failed("webhook", "Shopify's webhook subscriptions could not be read: " + e.getMessage(),
                    "give " + system + " an access token of the app that subscribes to the webhooks"));
        }
        List<SystemCheck> checks = new ArrayList<>();
        paths.forEach((entity, path) -> {
            String object = mapped.stream().filter(each -> each.entity().equals(entity)).findFirst()
                    .map(each -> RestMappingSettings.of(each.mapping()).resource()).orElse(entity);
            List<String> wanted = List.of(object + "/create", UPDATE_TOPICS.getOrDefault(object, object + "/update"));
            Set<String> topics = new TreeSet<>();
            for (JsonNode subscription : subscriptions) {
                if (path.equals(URI.create(subscription.path("address").asText("/")).getPath())) {
                    topics.add(subscription.path("topic").asText());
                }
            }
            List<String> missing = wanted.stream().filter(topic -> !topics.contains(topic)).toList();
            String check = "webhook " + path;
            if (missing.isEmpty()) {
                checks.add(SystemCheck.passed(check, "the app is subscribed to " + String.join(", ", wanted) + " at " + path));
            } else {
                checks.add(SystemCheck.failed(check, "the app is not subscribed to " + String.join(", ", missing) + " at " + path
                        + ": " + entity + "'s changes would not reach Syncline",
                        "subscribe the app to " + String.join(", ", missing)
                                + " with the address https://<this deployment>" + path + " (POST /webhooks.json, format json)"));
            }
        });
        return checks;
    }

    /** The shop's webhook subscriptions, beside the collection: {@code …/admin/api/2025-01/webhooks.json}. */
    private static URI subscriptions(RestTarget target) {
        return target.at("/webhooks.json?limit=250");
    }
}
