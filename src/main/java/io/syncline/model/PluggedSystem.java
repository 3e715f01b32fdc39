package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A system of a type the model does not describe itself: any {@code type:} other than jdbc, rest
 * and salesforce. Its other keys are the type's own settings, read by its connector; whether a
 * connector of that name exists is checked against the {@link SystemTypeCatalog}.
 */
@RegisterForReflection
public final class PluggedSystem implements SystemDefinition {

    private final String type;
    private final Map<String, Object> settings = new LinkedHashMap<>();

    @JsonCreator
    public PluggedSystem(@JsonProperty("type") String type) {
        this.type = type;
    }

    @Override
    public String type() {
        return type;
    }

    /** The type's own settings, as written. */
    public Map<String, Object> settings() {
        return Map.copyOf(settings);
    }

    @JsonAnySetter
    void setting(String name, Object value) {
        settings.put(name, value);
    }

    @Override
    public Map<String, SecretRef> secrets() {
        return Map.of();
    }
}
