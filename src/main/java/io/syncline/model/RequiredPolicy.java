package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Map;

/**
 * What happens when a required field is missing: {@code reject} (dead-letter with the reason),
 * {@code hold} (review queue) or {@code {default: value}}. {@code kind == null} marks a policy
 * the validator must report.
 */
@RegisterForReflection
public record RequiredPolicy(Kind kind, Object defaultValue, Object written) {

    public enum Kind {
        REJECT, HOLD, DEFAULT
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static RequiredPolicy of(Object value) {
        if ("reject".equals(value)) {
            return new RequiredPolicy(Kind.REJECT, null, value);
        }
        if ("hold".equals(value)) {
            return new RequiredPolicy(Kind.HOLD, null, value);
        }
        if (value instanceof Map<?, ?> map && map.size() == 1 && map.containsKey("default")) {
            return new RequiredPolicy(Kind.DEFAULT, map.get("default"), value);
        }
        return new RequiredPolicy(null, null, value);
    }
}
