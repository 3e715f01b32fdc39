package io.syncline.connector.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.connector.rest.HttpTargetClient;
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
 * A Stripe system's webhooks, checked in the account: {@code GET /v1/webhook_endpoints} lists the
 * endpoints Stripe sends events to; each webhook path of the model must be one's URL path, the
 * endpoint enabled, and its events must include the created and updated events of the
 * entity's object ({@code customer.*}, {@code invoice.*}, {@code customer.subscription.*}) or all
 * ({@code *}). An account holds at most 16 endpoints, so one page of 100 reads them all.
 */
final class StripeWebhookCheck implements RestSystemCheck.Probe {

    /** The events a sync takes of an object: a deletion in Stripe is not carried (docs/connectors/stripe.md). */
    private static final List<String> CHANGES = List.of("created", "updated");
    /** An object's events where they are not named after its resource: a subscription's belong to its customer. */
    private static final Map<String, String> EVENT_PREFIXES = Map.of("subscriptions", "customer.subscription");

    private final HttpTargetClient client;
    private final ObjectMapper json;

    StripeWebhookCheck(HttpTargetClient client, ObjectMapper json) {
        this.client = client;
        this.json = json;
    }

    @Override
    public List<SystemCheck> webhooks(String system, Map<String, String> paths, List<RestSystemCheck.Mapped> mapped) {
        RestTarget any = mapped.get(0).target();
        JsonNode endpoints;
        try {
            String body = client.call(any, "GET", endpoints(any), null, status -> false).body();
            endpoints = json.readTree(body).path("data");
        } catch (IOException | RuntimeException e) {
            return List.of(SystemCheck.failed("webhook", "Stripe's webhook endpoints could not be read: " + e.getMessage(),
                    "give " + system + " a key that may read webhook endpoints (a restricted key needs Webhook Endpoints: Read)"));
        }
        List<SystemCheck> checks = new ArrayList<>();
        paths.forEach((entity, path) -> checks.add(endpoint(entity, path, resourceOf(entity, mapped), endpoints)));
        return checks;
    }

    private static SystemCheck endpoint(String entity, String path, String resource, JsonNode endpoints) {
        String check = "webhook " + path;
        String prefix = EVENT_PREFIXES.getOrDefault(resource, singular(resource));
        List<String> wanted = CHANGES.stream().map(change -> prefix + "." + change).toList();
        JsonNode found = null;
        for (JsonNode endpoint : endpoints) {
            if (path.equals(URI.create(endpoint.path("url").asText("/")).getPath())) {
                found = endpoint;
                break;
            }
        }
        if (found == null) {
            return SystemCheck.failed(check, "Stripe has no webhook endpoint sending to " + path,
                    "add an endpoint in Stripe (Developers > Webhooks) with the URL https://<this deployment>" + path
                            + " and the events " + String.join(", ", wanted) + "; its signing secret is the system's webhook secret");
        }
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
        return mapped.stream().filter(each -> each.entity().equals(entity)).findFirst()
                .map(each -> each.target().resource().substring(each.target().resource().lastIndexOf('/') + 1)).orElse(entity);
    }

    private static String singular(String resource) {
        return resource.endsWith("s") ? resource.substring(0, resource.length() - 1) : resource;
    }

    private static URI endpoints(RestTarget target) {
        return target.at("/v1/webhook_endpoints?limit=100");
    }
}
