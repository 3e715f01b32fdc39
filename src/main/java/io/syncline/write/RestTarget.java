package io.syncline.write;

import io.syncline.model.EntityDefinition;
import io.syncline.model.RestSystem;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemMapping;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * One entity's records in a REST system: the collection at {@code baseUrl + resource}, each
 * record at {@code …/{id}}, the path of the id in a record ({@code key}), and the write methods.
 */
public record RestTarget(String system, RestSystem definition, String keyPath, String resource, SystemMapping.Write write) {

    /** The target of {@code entity} in {@code system} as the model declares it. */
    public static RestTarget of(SyncModel model, String entity, String system) {
        if (!(model.systems().get(system) instanceof RestSystem rest)) {
            throw new IllegalArgumentException("System '" + system + "' is not a REST system; the model declares "
                    + model.systems().keySet());
        }
        EntityDefinition definition = model.entities().get(entity);
        SystemMapping mapping = definition == null ? null : definition.mappings().get(system);
        if (mapping == null) {
            throw new IllegalArgumentException("No mapping of entity '" + entity + "' for system '" + system + "' in the sync model");
        }
        if (mapping.resource() == null) {
            throw new IllegalArgumentException("entities." + entity + ".mappings." + system
                    + " has no resource: add resource: /<collection path> to write " + entity + " to " + system);
        }
        return new RestTarget(system, rest, mapping.key(), rest.resourceOf(mapping.resource()), mapping.writeOrDefault());
    }

    /** {@code POST} here to create. */
    public URI collection() {
        return URI.create(base() + resource);
    }

    /** The record {@code id}, one percent-encoded path segment under the collection. */
    public URI item(String id) {
        return URI.create(base() + resource + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    private String base() {
        String base = definition.baseUrl();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
