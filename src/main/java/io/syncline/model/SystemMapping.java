package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How one system holds the entity: what every mapping says whatever its system's type, and the
 * keys of the type's own ({@code table}, {@code resource}, {@code sobject}, …), kept as written.
 * The model knows no type's mapping keys: a type reads its own with {@link #settings(Class)},
 * bound once per mapping and kept, and its rules report what is wrong with them
 * ({@link SystemTypeRules#validateMapping}), as a system's settings ({@link SystemDefinition}).
 */
@RegisterForReflection
public final class SystemMapping {

    /** The keys every mapping has; any other is its type's ({@link SystemTypeRules#mappingKeys}). */
    public static final Set<String> SHARED_KEYS = Set.of("key", "fields", "delete", "hooks", "route", "erase", "schemaDrift");

    /** What a mapping does when a field it needs drifts ({@code schemaDrift}): the values it takes. */
    public static final Set<String> SCHEMA_DRIFT = Set.of("report", "pause");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String key;
    private final List<FieldMapping> fields;
    private final DeleteSpec delete;
    private final Map<String, String> hooks;
    private final String route;
    private final EraseSpec erase;
    private final String schemaDrift;
    private final KeptSettings settings;

    /**
     * @param key    path of the system's own id in its records ({@code id}, {@code Id}, {@code customer_no});
     *               for a REST target also where a create's response carries the new id
     * @param fields field contracts, canonical field to system path
     * @param delete how deletions show in this system as a source, and how it takes them as a target
     * @param hooks  for this system as a target: Camel endpoints its apply route calls at a named point
     *               ({@link Hook}), e.g. {@code beforeWrite: direct:stamp-contact}
     * @param route  for this system as a target: the endpoint of a route file that replaces the apply
     *               template for this mapping ({@code direct:contacts-to-billing}); none: the template
     * @param erase  how an erasure request erases a person's record here ({@link EraseSpec#of} when left out)
     * @param schemaDrift for this system as a source: {@code pause} to pause the mapping when a field it
     *               needs (a required one) stops arriving or changes type, its events kept until an admin
     *               resumes it; {@code report} (the default) to count it only ({@code syncline_schema_drift})
     */
    @JsonCreator
    SystemMapping(@JsonProperty("key") String key, @JsonProperty("fields") List<FieldMapping> fields,
            @JsonProperty("delete") DeleteSpec delete, @JsonProperty("hooks") Map<String, String> hooks,
            @JsonProperty("route") String route, @JsonProperty("erase") EraseSpec erase,
            @JsonProperty("schemaDrift") String schemaDrift) {
        this(key, fields, delete, hooks, route, erase, schemaDrift, JsonNodeFactory.instance.objectNode());
    }

    private SystemMapping(String key, List<FieldMapping> fields, DeleteSpec delete, Map<String, String> hooks, String route,
            EraseSpec erase, String schemaDrift, ObjectNode settings) {
        this.key = key;
        this.fields = fields == null ? List.of() : fields;
        this.delete = delete;
        this.hooks = hooks == null ? Map.of() : hooks;
        this.route = route;
        this.erase = erase;
        this.schemaDrift = schemaDrift;
        this.settings = new KeptSettings(settings);
    }

    /** A mapping as a model writes it: the keys every mapping has, and its type's ({@code table: members}) as written. */
    public static SystemMapping of(String key, List<FieldMapping> fields, DeleteSpec delete, Map<String, String> hooks,
            String route, EraseSpec erase, Map<String, ?> settings) {
        return new SystemMapping(key, fields, delete, hooks, route, erase, null, JSON.valueToTree(settings));
    }

    /** A mapping without hooks, a replaced apply route or an erasure of its own. */
    public static SystemMapping of(String key, List<FieldMapping> fields, DeleteSpec delete, Map<String, ?> settings) {
        return of(key, fields, delete, null, null, null, settings);
    }

    /** A key of the mapping's type's, as read: kept as written, for the type to bind. */
    @JsonAnySetter
    void put(String name, JsonNode value) {
        settings.written().set(name, value);
    }

    /** This mapping with its type's key {@code name} written as {@code value} instead. */
    public SystemMapping with(String name, Object value) {
        ObjectNode written = settings.written().deepCopy();
        written.set(name, JSON.valueToTree(value));
        return new SystemMapping(key, fields, delete, hooks, route, erase, schemaDrift, written);
    }

    /**
     * Where an apply template calls a mapping's hook: before the transformer (to enrich the source
     * record), before the target's write (the canonical record is matched and resolved), after it
     * (inside the transaction that records it: a failing hook fails the event, which is retried).
     */
    public enum Hook {
        beforeTransform, beforeWrite, afterWrite
    }

    public String key() {
        return key;
    }

    public List<FieldMapping> fields() {
        return fields;
    }

    public DeleteSpec delete() {
        return delete;
    }

    public Map<String, String> hooks() {
        return hooks;
    }

    public String route() {
        return route;
    }

    public EraseSpec erase() {
        return erase;
    }

    /** {@code schemaDrift} as written: {@code pause}, {@code report}, or null (report). */
    public String schemaDrift() {
        return schemaDrift;
    }

    /** Whether a drift of a field this mapping needs pauses it (docs/real-time.md#schema-drift). */
    public boolean pausesOnSchemaDrift() {
        return "pause".equals(schemaDrift);
    }

    /** The keys of the type's own as written: every key but those every mapping has. */
    public ObjectNode settings() {
        return settings.written().deepCopy();
    }

    /** The type's keys bound to {@code kind}, the type's mapping settings class; bound once, then kept. */
    public <T> T settings(Class<T> kind) {
        return settings.value(kind);
    }

    /**
     * The type's keys bound to {@code kind}, having reported what was wrong binding them at their
     * paths under {@code path} ({@code entities.contact.mappings.crm}): what a type's
     * {@link SystemTypeRules#validateMapping} starts with.
     */
    public <T> T settings(Class<T> kind, String path, ProblemReporter problems) {
        return settings.reported(kind, path, problems);
    }

    /** Whether the mapping gives {@code key}, one of the keys of its system's type ({@code table}, {@code resource}, …). */
    public boolean declares(String key) {
        JsonNode value = settings.written().get(key);
        return value != null && !value.isNull();
    }

    /** The keys the mapping writes beside those every mapping has, in the order written. */
    public Iterator<String> settingNames() {
        return settings.written().fieldNames();
    }

    /** The path of canonical field {@code field} in the system's records; empty where the mapping has none. */
    public Optional<String> pathOf(String field) {
        return fields.stream().filter(mapped -> mapped.field().equals(field) && mapped.path() != null)
                .map(FieldMapping::valuePath).findFirst();
    }

    /** Whether Syncline writes any field to the system (direction out or both): the system is then a target. */
    public boolean writes() {
        return fields.stream().anyMatch(field -> field.direction().writes());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SystemMapping that && Objects.equals(key, that.key) && fields.equals(that.fields)
                && Objects.equals(delete, that.delete) && hooks.equals(that.hooks) && Objects.equals(route, that.route)
                && Objects.equals(erase, that.erase) && Objects.equals(schemaDrift, that.schemaDrift) && settings.written().equals(that.settings.written());
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, fields, delete, hooks, route, erase, schemaDrift, settings.written());
    }

    @Override
    public String toString() {
        return "SystemMapping[key=" + key + ", fields=" + fields + ", delete=" + delete + ", hooks=" + hooks + ", route=" + route
                + ", erase=" + erase + ", schemaDrift=" + schemaDrift + ", settings=" + settings.written() + "]";
    }
}
