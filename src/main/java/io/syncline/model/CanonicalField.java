package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A field of the canonical record; its type documents the normalised form mappings produce. A
 * field with {@code ref} names a record of another entity (or its own): each system's mapping
 * holds that system's own id of it, the canonical record the referenced record's canonical id
 * ({@code many: true}: a list of them), {@code missingParent} says what becomes of a record
 * whose referenced record is not linked yet, and {@code onParentErased} what becomes of it when the
 * referenced record is erased (docs/model.md, "Related records").
 */
@RegisterForReflection
public record CanonicalField(Type type, String description, String ref, Boolean many, MissingParentSpec missingParent,
        ParentErased onParentErased) {

    public CanonicalField(Type type, String description) {
        this(type, description, null, null, null, null);
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
        TIMESTAMP
    }
}
