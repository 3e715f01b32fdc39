package io.syncline.connector.rest;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The objects of a REST system ({@code objects:}): where a mapping that names an object alone
 * ({@code resource: users}) finds its collection and records, how its records are wrapped in
 * requests and answers, where a page lists them and how they are written. Written as a path
 * alone ({@code objects: /crm/v3/objects/{object}}), or as a table: the keys of {@link Spec}
 * (what every object shares), then one entry per object with its own, laid over them:
 *
 * <pre>
 * objects:
 *   path: /api/v2/{object}
 *   users: {envelope: user, items: users}
 * </pre>
 *
 * An object cannot be named like one of {@link Spec}'s keys.
 */
@RegisterForReflection
public final class RestObjects {

    private Spec shared = Spec.NONE;
    private final Map<String, Spec> named = new LinkedHashMap<>();

    public RestObjects() {
    }

    /** Every object at {@code path}, with nothing else of its own. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static RestObjects at(String path) {
        RestObjects objects = new RestObjects();
        objects.shared = new Spec(path, null, null, null, null);
        return objects;
    }

    /** The settings every object shares, and each object's own. */
    public static RestObjects of(Spec shared, Map<String, Spec> named) {
        RestObjects objects = new RestObjects();
        objects.shared = shared == null ? Spec.NONE : shared;
        objects.named.putAll(named);
        return objects;
    }

    /** What every object shares. */
    public Spec shared() {
        return shared;
    }

    /** Each named object's own settings. */
    @JsonAnyGetter
    public Map<String, Spec> named() {
        return Collections.unmodifiableMap(named);
    }

    @JsonAnySetter
    void name(String object, Spec spec) {
        named.put(object, spec);
    }

    @JsonProperty("path")
    void path(String path) {
        shared = new Spec(path, shared.item, shared.envelope, shared.items, shared.write);
    }

    @JsonProperty("item")
    void item(String item) {
        shared = new Spec(shared.path, item, shared.envelope, shared.items, shared.write);
    }

    @JsonProperty("envelope")
    void envelope(Envelope envelope) {
        shared = new Spec(shared.path, shared.item, envelope, shared.items, shared.write);
    }

    @JsonProperty("items")
    void items(String items) {
        shared = new Spec(shared.path, shared.item, shared.envelope, items, shared.write);
    }

    @JsonProperty("write")
    void write(Write write) {
        shared = new Spec(shared.path, shared.item, shared.envelope, shared.items, write);
    }

    /**
     * A mapping's {@code resource} as the objects say: a path ({@code /…}) keeps its own path and
     * takes the shared envelope, items and write; an object's name takes its entry laid over the
     * shared settings, {@code {object}} in its path and item replaced by the name.
     */
    public Spec of(String resource) {
        if (resource == null || resource.startsWith("/")) {
            return new Spec(resource, null, shared.envelope, shared.items, shared.write);
        }
        Spec own = named.getOrDefault(resource, Spec.NONE).over(shared);
        return new Spec(placed(own.path, resource), placed(own.item, resource), own.envelope, own.items, own.write);
    }

    private static String placed(String template, String object) {
        return template == null ? null : template.replace("{object}", object);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RestObjects objects && shared.equals(objects.shared) && named.equals(objects.named);
    }

    @Override
    public int hashCode() {
        return Objects.hash(shared, named);
    }

    @Override
    public String toString() {
        return "RestObjects[shared=" + shared + ", named=" + named + "]";
    }

    /**
     * One object's settings, each left out to take the shared one (and where that is left out too,
     * the system's: {@code pagination.itemsField}, the mapping's {@code write} defaults).
     *
     * @param path     the collection ({@code /api/v2/users}); {@code {object}} stands for the object's name
     * @param item     one record's path, with {@code {id}} (and {@code {object}}) in it
     *                 ({@code /customers/{id}.json}); default {@code {path}/{id}}
     * @param envelope how a record is wrapped in requests and answers ({@code user}: {@code {"user": {…}}})
     * @param items    where a page of the collection lists its records ({@code users}), over
     *                 {@code pagination.itemsField}
     * @param write    the write methods, under the mapping's own
     */
    @RegisterForReflection
    public record Spec(String path, String item, Envelope envelope, String items, Write write) {

        public static final Spec NONE = new Spec(null, null, null, null, null);

        /** This object's settings, those it leaves out taken from {@code shared}. */
        Spec over(Spec shared) {
            return new Spec(path != null ? path : shared.path, item != null ? item : shared.item,
                    envelope != null ? envelope : shared.envelope, items != null ? items : shared.items,
                    write == null ? shared.write : shared.write == null ? write : write.over(shared.write));
        }
    }
}
