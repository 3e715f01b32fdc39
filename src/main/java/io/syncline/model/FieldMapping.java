package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * One field contract: canonical {@code field} to the system's {@code path} (dotted for nested
 * values: {@code address.city}), the direction values flow, the transforms on the way, and what
 * to do when the value is missing. For a list of child records ({@code type: list}) {@code items}
 * maps each element's fields, with paths relative to the element; {@code json: true} says that a
 * list is held in a JSON column of a SQL table (json, jsonb), written as JSON text, and {@code rows}
 * that its lines are rows of a child table of their own ({@link RowsSpec}). {@code externalId}
 * says that a reference is written by the parent's external id field rather than by the parent's
 * own id: {@code path} is then the relationship ({@code Account}) and the value is written and
 * read at {@code <path>.<externalId>} (a Salesforce relationship by external id,
 * docs/connectors/salesforce.md).
 */
@RegisterForReflection
public record FieldMapping(String field, String path, Direction direction, List<TransformSpec> transforms,
        RequiredPolicy required, List<FieldMapping> items, Boolean json, RowsSpec rows, String externalId) {

    public FieldMapping(String field, String path, Direction direction, List<TransformSpec> transforms,
            RequiredPolicy required) {
        this(field, path, direction, transforms, required, null, null, null, null);
    }

    public FieldMapping(String field, String path, Direction direction, List<TransformSpec> transforms,
            RequiredPolicy required, List<FieldMapping> items, Boolean json) {
        this(field, path, direction, transforms, required, items, json, null, null);
    }

    public FieldMapping(String field, String path, Direction direction, List<TransformSpec> transforms,
            RequiredPolicy required, List<FieldMapping> items, Boolean json, RowsSpec rows) {
        this(field, path, direction, transforms, required, items, json, rows, null);
    }

    /**
     * Where the value is in the system's record: {@code path}, or for a reference written by the
     * parent's external id the relationship's field, {@code Account.Ext_Id__c}.
     */
    public String valuePath() {
        return externalId == null || path == null ? path : path + "." + externalId;
    }

    /** Whether the list is held as JSON text ({@code json: true}). */
    public boolean asJson() {
        return Boolean.TRUE.equals(json);
    }

    public enum Direction {

        /** System to canonical only: the system is read, never written. */
        @JsonProperty("in")
        IN,
        /** Canonical to system only: the system is written, never read. */
        @JsonProperty("out")
        OUT,
        @JsonProperty("both")
        BOTH;

        public boolean reads() {
            return this != OUT;
        }

        public boolean writes() {
            return this != IN;
        }
    }

    public FieldMapping {
        direction = direction == null ? Direction.BOTH : direction;
        transforms = transforms == null ? List.of() : transforms;
        items = items == null ? List.of() : items;
    }
}
