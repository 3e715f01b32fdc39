package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * How one system holds the entity.
 *
 * @param key      path of the system's own id in its records ({@code id}, {@code Id}, {@code customer_no});
 *                 for a REST target also where a create's response carries the new id
 * @param table    table name, for JDBC systems
 * @param resource collection path under a REST system's baseUrl ({@code /crm/v3/objects/contacts})
 * @param sobject  the Salesforce object a Salesforce system keeps the entity in ({@code Contact}, {@code Member__c})
 * @param write    HTTP methods a REST target is written with; {@link Write#DEFAULT} when left out
 * @param fields   field contracts, canonical field to system path
 * @param delete   how deletions show in this system as a source, and how it takes them as a target
 * @param hooks    for this system as a target: Camel endpoints its apply route calls at a named point
 *                 ({@link Hook}), e.g. {@code beforeWrite: direct:stamp-contact}
 * @param route    for this system as a target: the endpoint of a route file that replaces the apply
 *                 template for this mapping ({@code direct:contacts-to-billing}); none: the template
 * @param erase    how an erasure request erases a person's record here ({@link EraseSpec#of} when left out)
 * @param envelope for a REST system: how its records are wrapped in requests and answers, over its
 *                 object's ({@link Envelope})
 */
@RegisterForReflection
public record SystemMapping(String key, String table, String resource, String sobject, Write write, List<FieldMapping> fields,
        DeleteSpec delete, Map<String, String> hooks, String route, EraseSpec erase,
        Envelope envelope) {

    @JsonCreator
    public SystemMapping {
        fields = fields == null ? List.of() : fields;
        hooks = hooks == null ? Map.of() : hooks;
    }

    /** A mapping without hooks or a replaced apply route. */
    public SystemMapping(String key, String table, String resource, String sobject, Write write, List<FieldMapping> fields,
            DeleteSpec delete) {
        this(key, table, resource, sobject, write, fields, delete, null, null, null);
    }

    /** A mapping whose records are bare, or wrapped as its system's objects say. */
    public SystemMapping(String key, String table, String resource, String sobject, Write write, List<FieldMapping> fields,
            DeleteSpec delete, Map<String, String> hooks, String route, EraseSpec erase) {
        this(key, table, resource, sobject, write, fields, delete, hooks, route, erase, null);
    }

    /** A mapping with the default erasure. */
    public SystemMapping(String key, String table, String resource, String sobject, Write write, List<FieldMapping> fields,
            DeleteSpec delete, Map<String, String> hooks, String route) {
        this(key, table, resource, sobject, write, fields, delete, hooks, route, null);
    }

    /**
     * Where an apply template calls a mapping's hook: before the transformer (to enrich the source
     * record), before the target's write (the canonical record is matched and resolved), after it
     * (inside the transaction that records it: a failing hook fails the event, which is retried).
     */
    public enum Hook {
        beforeTransform, beforeWrite, afterWrite
    }

    /** Whether the mapping gives {@code key}, one of the keys of its system's type ({@code table}, {@code resource}, …). */
    public boolean declares(String key) {
        return switch (key) {
            case "table" -> table != null;
            case "resource" -> resource != null;
            case "sobject" -> sobject != null;
            case "write" -> write != null;
            case "envelope" -> envelope != null;
            default -> false;
        };
    }

    /** The path of canonical field {@code field} in the system's records; empty where the mapping has none. */
    public java.util.Optional<String> pathOf(String field) {
        return fields.stream().filter(mapped -> mapped.field().equals(field) && mapped.path() != null)
                .map(FieldMapping::path).findFirst();
    }

    /** Whether Syncline writes any field to the system (direction out or both): the system is then a target. */
    public boolean writes() {
        return fields.stream().anyMatch(field -> field.direction().writes());
    }

    /** The write methods in force: the declared ones, POST and PATCH for what was left out. */
    public Write writeOrDefault() {
        return write == null ? Write.DEFAULT : write.withDefaults();
    }

    /**
     * How a REST target is written: {@code create} with {@code POST} or {@code PUT}, sent to the
     * collection ({@code createAt: collection}, the system assigns the id; POST's default) or to
     * {@code {resource}/{key}} ({@code createAt: record}, the id is the record's own, at the key
     * path; PUT's default), and {@code update} of a known record at {@code {resource}/{id}} with
     * {@code PATCH} (only the fields sent change), {@code PUT} (the record is replaced) or {@code POST}.
     */
    @RegisterForReflection
    public record Write(CreateMethod create, UpdateMethod update, CreateAt createAt) {

        public static final Write DEFAULT = new Write(CreateMethod.POST, UpdateMethod.PATCH, CreateAt.COLLECTION);

        public Write(CreateMethod create, UpdateMethod update) {
            this(create, update, null);
        }

        public Write withDefaults() {
            CreateMethod method = create == null ? DEFAULT.create : create;
            return new Write(method, update == null ? DEFAULT.update : update,
                    createAt != null ? createAt : method == CreateMethod.PUT ? CreateAt.RECORD : CreateAt.COLLECTION);
        }

        /** These methods, those left out taken from {@code under}; a create's method and place go together. */
        public Write over(Write under) {
            if (under == null) {
                return this;
            }
            boolean ownCreate = create != null || createAt != null;
            return new Write(ownCreate ? create : under.create, update != null ? update : under.update,
                    ownCreate ? createAt : under.createAt);
        }
    }

    public enum CreateMethod {
        @JsonProperty("POST")
        POST,
        @JsonProperty("PUT")
        PUT
    }

    /** Where a create is sent: the collection, or the record's own path under it. */
    public enum CreateAt {
        @JsonProperty("collection")
        COLLECTION,
        @JsonProperty("record")
        RECORD
    }

    public enum UpdateMethod {
        @JsonProperty("PATCH")
        PATCH,
        @JsonProperty("PUT")
        PUT,
        @JsonProperty("POST")
        POST
    }

    /**
     * Where a record is in a request's body and in an answer's ({@code request}, {@code answer}):
     * a dotted path whose steps may end in {@code [0]}, the first element of an array. Written
     * alone ({@code envelope: user}) it is both; either may be left out, a bare record.
     * {@code Contacts[0]}: a write sends {@code {"Contacts": [record]}}, an answer's record is the
     * first of its {@code Contacts}; {@code {answer: data}}: a bare record is sent and the answer's
     * is at {@code data}.
     */
    @RegisterForReflection
    public record Envelope(String request, String answer) {

        /** A path and its steps: a name, and {@code [0]} after it. */
        public static final java.util.regex.Pattern PATH =
                java.util.regex.Pattern.compile("[A-Za-z0-9_$-]+(\\[0])?(\\.[A-Za-z0-9_$-]+(\\[0])?)*");

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static Envelope both(String path) {
            return new Envelope(path, path);
        }

        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public Envelope(@JsonProperty("request") String request, @JsonProperty("answer") String answer) {
            this.request = request;
            this.answer = answer;
        }
    }
}
