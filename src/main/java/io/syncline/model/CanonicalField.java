package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A field of the canonical record; its type documents the normalised form mappings produce. */
@RegisterForReflection
public record CanonicalField(Type type, String description) {

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
