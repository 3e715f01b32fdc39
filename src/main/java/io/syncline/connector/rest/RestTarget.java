package io.syncline.connector.rest;

import io.syncline.model.EntityDefinition;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemMapping;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One entity's records in a REST system: the collection at {@code baseUrl + resource}, each
 * record at {@code …/{id}} (or where {@code item} places it), the path of the id in a record
 * ({@code key}), the write methods, and the envelope its records are wrapped in.
 *
 * @param item     one record's path with {@code {id}} in it; null: {@code {resource}/{id}}
 * @param envelope how records are wrapped in requests and answers; null: bare
 */
public record RestTarget(String system, RestSettings definition, String keyPath, String resource, Write write,
        String item, Envelope envelope) {

    /** A target at {@code resource} whose records are bare and at {@code {resource}/{id}}. */
    public RestTarget(String system, RestSettings definition, String keyPath, String resource, Write write) {
        this(system, definition, keyPath, resource, write, null, null);
    }

    /**
     * The target of {@code entity} in {@code system} as the model declares it: the mapping's
     * resource, its object's path, item, envelope and write methods ({@link RestSettings#objects()}),
     * under the mapping's own envelope and write methods.
     */
    public static RestTarget of(SyncModel model, String entity, String system) {
        if (!RestSettings.isOf(model.systems().get(system))) {
            throw new IllegalArgumentException("System '" + system + "' is not a REST system; the model declares "
                    + model.systems().keySet());
        }
        RestSettings rest = RestSettings.of(model.systems().get(system));
        EntityDefinition definition = model.entities().get(entity);
        SystemMapping mapping = definition == null ? null : definition.mappings().get(system);
        if (mapping == null) {
            throw new IllegalArgumentException("No mapping of entity '" + entity + "' for system '" + system + "' in the sync model");
        }
        RestMappingSettings own = RestMappingSettings.of(mapping);
        if (own.resource() == null) {
            throw new IllegalArgumentException("entities." + entity + ".mappings." + system
                    + " has no resource: add resource: /<collection path> to write " + entity + " to " + system);
        }
        RestObjects.Spec object = rest.objectOf(own.resource());
        Write write = own.write() == null ? object.write()
                : own.write().over(object.write());
        return new RestTarget(system, rest, mapping.key(), object.path(),
                write == null ? Write.DEFAULT : write.withDefaults(), object.item(),
                own.envelope() != null ? own.envelope() : object.envelope());
    }

    /** The collection: where a create goes unless it is sent to the record's own path. */
    public URI collection() {
        return URI.create(base() + resource);
    }

    /**
     * The target whose collection is where its records live, where that is not where they are listed:
     * the item's path without its {@code /{id}} ({@code /tasks/{id}}: {@code /tasks}, for Asana's project's
     * {@code /projects/{project}/tasks}; Jira's {@code /rest/api/3/issue/{id}} for its JQL search); itself
     * where the item says none or lives under the list.
     */
    public RestTarget itemsCollection() {
        String id = "/{id}";
        if (item == null || !item.endsWith(id) || item.substring(0, item.length() - id.length()).equals(resource)) {
            return this;
        }
        return new RestTarget(system, definition, keyPath, item.substring(0, item.length() - id.length()), write, item, envelope);
    }

    /** The record {@code id}, percent-encoded as one path segment, under the collection or where {@code item} says. */
    public URI item(String id) {
        String segment = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
        return URI.create(base() + (item == null ? resource + "/" + segment : item.replace("{id}", segment)));
    }

    /** A mapped record as a request's body carries it: in its envelope's {@code request} path, else bare. */
    public Object wrap(Map<String, Object> row) {
        return EnvelopePath.wrap(envelope == null ? null : envelope.request(), row);
    }

    /** The record in an answer's body: at its envelope's {@code answer} path, else the body itself; null when absent. */
    public Object unwrap(Object answer) {
        return EnvelopePath.unwrap(envelope == null ? null : envelope.answer(), answer);
    }

    /** {@code path} (with any query) under the system's base URL: a call beside the mapped collection, such as a check's. */
    public URI at(String path) {
        return URI.create(base() + path);
    }

    private String base() {
        String base = definition.baseUrl();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
