package io.syncline.connector.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.connector.rest.HttpTargetClient;
import io.syncline.connector.rest.RestMappingSettings;
import io.syncline.connector.rest.RestSystemCheck;
import io.syncline.connector.rest.RestTarget;
import io.syncline.connector.rest.SubscriptionsProbe;
import io.syncline.connector.spi.SystemCheck;

import java.io.IOException;
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
final class ShopifyWebhookCheck extends SubscriptionsProbe {

    /** An object's update topic where it is not {@code <object>/update}. */
    private static final Map<String, String> UPDATE_TOPICS = Map.of("orders", "orders/updated");

    ShopifyWebhookCheck(HttpTargetClient client) {
        super(client);
    }

    /** The shop's webhook subscriptions, beside the collection: {@code …/admin/api/2025-01/webhooks.json}. */
    @Override
    protected JsonNode subscriptions(RestTarget target) throws IOException {
        return get(target, target.at("/webhooks.json?limit=250")).path("webhooks");
    }

    @Override
    protected SystemCheck unreadable(String system, Exception e) {
        return SystemCheck.failed("webhook", "Shopify's webhook subscriptions could not be read: " + e.getMessage(),
                "give " + system + " an access token of the app that subscribes to the webhooks");
    }

    @Override
    protected SystemCheck webhook(String entity, String path, List<RestSystemCheck.Mapped> mapped, JsonNode subscriptions) {
        String object = mappingOf(entity, mapped).map(each -> RestMappingSettings.of(each.mapping()).resource()).orElse(entity);
        List<String> wanted = List.of(object + "/create", UPDATE_TOPICS.getOrDefault(object, object + "/update"));
        Set<String> topics = new TreeSet<>();
        sendingTo(subscriptions, "address", path).forEach(subscription -> topics.add(subscription.path("topic").asText()));
        List<String> missing = wanted.stream().filter(topic -> !topics.contains(topic)).toList();
        String check = "webhook " + path;
        if (missing.isEmpty()) {
            return SystemCheck.passed(check, "the app is subscribed to " + String.join(", ", wanted) + " at " + path);
        }
        return SystemCheck.failed(check, "the app is not subscribed to " + String.join(", ", missing) + " at " + path
                + ": " + entity + "'s changes would not reach Syncline",
                "subscribe the app to " + String.join(", ", missing)
                        + " with the address https://<this deployment>" + path + " (POST /webhooks.json, format json)");
    }
}
