package io.syncline.connector.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.connector.spi.SystemCheck;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The probe of a provider whose API lists the webhook subscriptions it sends (Shopify's
 * {@code webhooks.json}, Stripe's {@code webhook_endpoints}): the list is read once, then each
 * webhook path of the model is checked against the subscriptions whose URL has that path.
 */
public abstract class SubscriptionsProbe extends ProviderProbe {

    protected SubscriptionsProbe(HttpTargetClient client) {
        super(client);
    }

    @Override
    public List<SystemCheck> webhooks(String system, Map<String, String> paths, List<RestSystemCheck.Mapped> mapped) {
        RestTarget any = mapped.get(0).target();
        JsonNode subscriptions;
        try {
            subscriptions = subscriptions(any);
        } catch (IOException | RuntimeException e) {
            return List.of(unreadable(system, e));
        }
        List<SystemCheck> checks = new ArrayList<>();
        paths.forEach((entity, path) -> checks.add(webhook(entity, path, mapped, subscriptions)));
        return checks;
    }

    /** The provider's subscriptions, as a JSON array, read with {@code target}'s auth ({@link #get}). */
    protected abstract JsonNode subscriptions(RestTarget target) throws IOException;

    /** The failed step of a list that could not be read, with what the credentials lack. */
    protected abstract SystemCheck unreadable(String system, Exception e);

    /** The check of the webhook {@code path} of {@code entity}'s changes against the provider's {@code subscriptions}. */
    protected abstract SystemCheck webhook(String entity, String path, List<RestSystemCheck.Mapped> mapped, JsonNode subscriptions);

    /** The subscriptions whose URL at {@code member} ({@code address}, {@code url}) has the path {@code path}. */
    protected static List<JsonNode> sendingTo(JsonNode subscriptions, String member, String path) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode subscription : subscriptions) {
            if (path.equals(URI.create(subscription.path(member).asText("/")).getPath())) {
                found.add(subscription);
            }
        }
        return found;
    }
}
