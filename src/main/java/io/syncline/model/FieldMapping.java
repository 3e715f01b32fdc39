package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * One field contract: canonical {@code field} to the system's {@code path} (dotted for nested
 * values: {@code address.city}), the direction values flow, the transforms on the way, and what
 * to do when the value is missing.
 */
@RegisterForReflection
public record FieldMapping(String field, String path, Direction direction, List<TransformSpec> transforms,
        RequiredPolicy required) {

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
    }
}
