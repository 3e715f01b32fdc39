package io.syncline.connector.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.connector.rest.HttpTargetClient;
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
 * A Stripe system's webhooks, checked in the account: {@code GET /v1/webhook_endpoints} lists the
 * endpoints Stripe sends events to; each webhook path of the model must be one's URL path, the
 * endpoint enabled, and its events must include the created and updated events of the
 * entity's object ({@code customer.*}, {@code invoice.*}, {@code customer.subscription.*}) or all
 * ({@code *}). An account holds at most 16 endpoints, so one page of 100 reads them all.
 */
final class StripeWebhookCheck extends SubscriptionsProbe {

    /** The events a sync takes of an object: a deletion in Stripe is not carried (docs/connectors/stripe.md). */
    private static final List<String> CHANGES = List.of("created", "updated");
    /** An object's events where they are not named after its resource: a subscription's belong to its customer. */
    private static final Map<String, String> EVENT_PREFIXES = Map.of("subscriptions", "customer.subscription");

    StripeWebhookCheck(HttpTargetClient client) {
        super(client);
    }

    /** The account's webhook endpoints: {@code GET /v1/webhook_endpoints}. */
    @Override
    protected JsonNode subscriptions(RestTarget target) throws IOException {
        return get(target, target.at("/v1/webhook_endpoints?limit=100")).path("data");
    }

    @Override
    protected SystemCheck unreadable(String system, Exception e) {
        return SystemCheck.failed("webhook", "Stripe's webhook endpoints could not be read: " + e.getMessage(),
                "give " + system + " a key that may read webhook endpoints (a restricted key needs Webhook Endpoints: Read)");
    }

    @Override
    protected SystemCheck webhook(String entity, String path, List<RestSystemCheck.Mapped> mapped, JsonNode endpoints) {
        return endpoint(entity, path, resourceOf(entity, mapped), sendingTo(endpoints, "url", path));
    }

    private static SystemCheck endpoint(String entity, String path, String resource, List<JsonNode> sending) {
        String check = "webhook " + path;
        String prefix = EVENT_PREFIXES.getOrDefault(resource, singular(resource));
        List<String> wanted = CHANGES.stream().map(change -> prefix + "." + change).toList();
        if (sending.isEmpty()) {
            return SystemCheck.failed(check, "Stripe has no webhook endpoint sending to " + path,
                    "add an endpoint in Stripe (Developers > Webhooks) with the URL https://<this deployment>" + path
                            + " and the events " + String.join(", ", wanted) + "; its signing secret is the system's webhook secret");
        }
        JsonNode found = sending.get(0);
        String url = found.path("url").asText();
        if (!"enabled".equals(found.path("status").asText())) {
            return SystemCheck.failed(check, "the endpoint " + url + " is " + found.path("status").asText(),
                    "enable the endpoint " + found.path("id").asText() + " in Stripe (Developers > Webhooks)");
        }
        Set<String> events = new TreeSet<>();
        found.path("enabled_events").forEach(event -> events.add(event.asText()));
        if (events.contains("*")) {
            return SystemCheck.passed(check, url + " is enabled for every event");
        }
        List<String> missing = wanted.stream().filter(event -> !events.contains(event)).toList();
        if (!missing.isEmpty()) {
            return SystemCheck.failed(check, "the endpoint " + url + " is not sent " + String.join(", ", missing)
                    + ": " + entity + "'s changes would not reach Syncline",
                    "add " + String.join(", ", missing)
                            + " to the events of the endpoint " + found.path("id").asText() + " in Stripe (Developers > Webhooks)");
        }
        return SystemCheck.passed(check, url + " is enabled for " + String.join(", ", wanted));
    }

    /** The resource of the entity's mapping ({@code customers}), or the entity's name where it has none. */
    private static String resourceOf(String entity, List<RestSystemCheck.Mapped> mapped) {
        return mappingOf(entity, mapped).map(each -> each.target().resource().substring(each.target().resource().lastIndexOf('/') + 1))
                .orElse(entity);
    }

    private static String singular(String resource) {
        return resource.endsWith("s") ? resource.substring(0, resource.length() - 1) : resource;
    }
}
