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
 * that its lines are rows of a child table of their own ({@link RowsSpec}).
 */
@RegisterForReflection
public record FieldMapping(String field, String path, Direction direction, List<TransformSpec> transforms,
        RequiredPolicy required, List<FieldMapping> items, Boolean json, RowsSpec rows) {

    public FieldMapping(String field, String path, Direction direction, List<TransformSpec> transforms,
            RequiredPolicy required) {
        this(field, path, direction, transforms, required, null, null, null);
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
