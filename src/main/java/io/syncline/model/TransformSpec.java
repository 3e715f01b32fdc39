package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Map;

/**
 * A transform as written: a bare name ({@code trim}) or a single-key map of name to parameters
 * ({@code {phone: {region: GB}}}). Anything else keeps {@code name == null} for the validator.
 */
@RegisterForReflection
public record TransformSpec(String name, Object parameters) {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static TransformSpec of(Object value) {
        if (value instanceof String name) {
            return new TransformSpec(name, null);
        }
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            var entry = map.entrySet().iterator().next();
            return new TransformSpec(String.valueOf(entry.getKey()), entry.getValue());
        }
        return new TransformSpec(null, value);
    }
}
