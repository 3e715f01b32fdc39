package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Map;

/**
 * A field of the canonical record; its type documents the normalised form mappings produce. A
 * field with {@code ref} names a record of another entity (or its own): each system's mapping
 * holds that system's own id of it, the canonical record the referenced record's canonical id
 * ({@code many: true}: a list of them), {@code missingParent} says what becomes of a record
 * whose referenced record is not linked yet, and {@code onParentErased} what becomes of it when the
 * referenced record is erased (docs/model.md, "Related records").
 *
 * <p>{@code many: true} without {@code ref} is a list of values of {@code type}, each transformed
 * on its own. {@code type: list} is a list of child records inside the record (an invoice's lines):
 * {@code items} declares each element's own fields (which may be references), and {@code key}
 * names the element field that identifies a line, so that lines compare by it instead of by
 * their order (docs/model.md, "Documents with lines"). {@code sensitive: true} keeps the field's
 * values out of Syncline's own tables, pages and logs (docs/privacy.md, "Sensitive fields").
 */
@RegisterForReflection
public record CanonicalField(Type type, String description, String ref, Boolean many, MissingParentSpec missingParent,
        ParentErased onParentErased, Map<String, CanonicalField> items, String key, Boolean sensitive, QuantitySpec quantity,
        String increments, String decrements) {

    public CanonicalField {
        items = items == null ? Map.of() : items;
    }

    public CanonicalField(Type type, String description, String ref, Boolean many, MissingParentSpec missingParent,
            ParentErased onParentErased, Map<String, CanonicalField> items, String key) {
        this(type, description, ref, many, missingParent, onParentErased, items, key, null, null, null, null);
    }

    public CanonicalField(Type type, String description) {
        this(type, description, null, null, null, null, null, null, null, null, null, null);
    }

    public CanonicalField(Type type, String description, String ref, Boolean many, MissingParentSpec missingParent) {
        this(type, description, ref, many, missingParent, null, null, null, null, null, null, null);
    }

    /**
     * Whether the field's values are sensitive ({@code sensitive: true}): synced in clear, kept by
     * Syncline only as a keyed digest or encrypted (docs/privacy.md, "Sensitive fields").
     */
    public boolean isSensitive() {
        return Boolean.TRUE.equals(sensitive);
    }

    /** Whether the field is synced as changes ({@code quantity:}), not as values. */
    public boolean isQuantity() {
        return quantity != null;
    }

    /**
     * The quantity field whose change this field carries ({@code increments: stock} or
     * {@code decrements: stock}), or null; an order's line quantity read from an order webhook.
     */
    public String changes() {
        return increments != null ? increments : decrements;
    }

    /** Whether the field is a change of a quantity field rather than a value of its own. */
    public boolean isChange() {
        return changes() != null;
    }

    /** Whether the field is a list of child records ({@code type: list}). */
    public boolean records() {
        return type == Type.LIST;
    }

    /** Whether the field holds a list: of values or references ({@code many: true}) or of child records. */
    public boolean list() {
        return records() || Boolean.TRUE.equals(many);
    }

    /** The element fields that name another entity's record ({@code ref}), by name. */
    public Map<String, CanonicalField> itemReferences() {
        return referencesAmong(items);
    }

    /** Those of {@code fields} that name another entity's record ({@code ref}), by name, in their order. */
    static Map<String, CanonicalField> referencesAmong(Map<String, CanonicalField> fields) {
        Map<String, CanonicalField> references = new java.util.LinkedHashMap<>();
        fields.forEach((name, field) -> {
            if (field != null && field.reference()) {
                references.put(name, field);
            }
        });
        return references;
    }

    /** Whether the field names a record of entity {@link #ref()}. */
    public boolean reference() {
        return ref != null;
    }

    /** Whether the field holds a list of references. */
    public boolean referencesMany() {
        return Boolean.TRUE.equals(many);
    }

    /** What becomes of a record whose referenced record is not linked yet: the field's own, or the default. */
    public MissingParentSpec missingParentOrDefault() {
        return missingParent == null ? MissingParentSpec.DEFAULT : missingParent;
    }

    /** What an erasure of the referenced record does to the record: the field's own rule, or detach. */
    public ParentErased onParentErasedOrDefault() {
        return onParentErased == null ? ParentErased.DETACH : onParentErased;
    }

    public enum Type {
        @JsonProperty("string")
        STRING,
        @JsonProperty("integer")
        INTEGER,
        @JsonProperty("decimal")
        DECIMAL,
        @JsonProperty("boolean")
        BOOLEAN,
        @JsonProperty("date")
        DATE,
        @JsonProperty("timestamp")
        TIMESTAMP,
        /** A list of child records, whose fields {@code items} declares. */
        @JsonProperty("list")
        LIST
    }
}
