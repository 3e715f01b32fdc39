package io.syncline.connector.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A preset's probe that asks the provider's own API what the check needs (its objects' fields, its
 * webhook subscriptions), through the system's client: its auth, rate limit and request timeout.
 */
public abstract class ProviderProbe implements RestSystemCheck.Probe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpTargetClient client;

    protected ProviderProbe(HttpTargetClient client) {
        this.client = client;
    }

    /** The answer to {@code GET uri} with {@code target}'s auth, read as JSON; a failed call thrown as the client throws it. */
    protected JsonNode get(RestTarget target, URI uri) throws IOException {
        return JSON.readTree(client.call(target, "GET", uri, null, status -> false).body());
    }

    /** The mapping of {@code entity} among the system's {@code mapped} ones; empty where it has none that names a resource. */
    protected static Optional<RestSystemCheck.Mapped> mappingOf(String entity, List<RestSystemCheck.Mapped> mapped) {
        return mapped.stream().filter(each -> each.entity().equals(entity)).findFirst();
    }
}
