package io.syncline.mapping.transform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The YAML parameters of one transform, read with checks: unknown keys are refused (a typo
 * such as {@code regoin} would otherwise be silently ignored), and every problem is an
 * {@link InvalidTransformSpecException} naming the transform, the key and an example.
 */
final class TransformParameters {

    private final String transform;
    private final String example;
    private final Map<String, Object> values;

    private TransformParameters(String transform, String example, Map<String, Object> values) {
        this.transform = transform;
        this.example = example;
        this.values = values;
    }

    /**
     * @param example a correct declaration shown in fixes, e.g. {@code {phone: {region: GB}}}
     */
    static TransformParameters read(String transform, Object parameters, String example, Set<String> knownKeys) {
        if (parameters == null) {
            return new TransformParameters(transform, example, Map.of());
        }
        if (!(parameters instanceof Map<?, ?> map)) {
            throw new InvalidTransformSpecException(transform, "parameters must be a map, not '" + parameters + "'",
                    "write it as " + example);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (!knownKeys.contains(String.valueOf(key))) {
                throw new InvalidTransformSpecException(transform, "unknown parameter '" + key + "'",
                        "use one of " + String.join(", ", new TreeSet<>(knownKeys)) + ", e.g. " + example);
            }
            values.put(String.valueOf(key), value);
        });
        return new TransformParameters(transform, example, values);
    }

    /** For transforms written as a bare name: {@code null} or an empty map. */
    static void requireNone(String transform, Object parameters) {
        if (parameters != null && !(parameters instanceof Map<?, ?> map && map.isEmpty())) {
            throw new InvalidTransformSpecException(transform, "takes no parameters, but got '" + parameters + "'",
                    "write it as a bare name: " + transform);
        }
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    Object value(String key) {
        return values.get(key);
    }

    String requiredString(String key, String fix) {
        return optionalString(key).orElseThrow(() -> missing(key, fix));
    }

    Optional<String> optionalString(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text) || text.isBlank()) {
            throw wrongType(key, value, "text");
        }
        return Optional.of(text.strip());
    }

    /** A list of texts; a single text is read as a list of one. Absent is empty. */
    List<String> stringList(String key) {
        Object value = values.get(key);
        if (value == null) {
            return List.of();
        }
        List<?> items = value instanceof List<?> list ? list : List.of(value);
        List<String> texts = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof String text) || text.isBlank()) {
                throw wrongType(key, value, "a list of texts");
            }
            texts.add(text);
        }
        return List.copyOf(texts);
    }

    int requiredWholeNumber(String key, String fix) {
        Object value = values.get(key);
        if (value == null) {
            throw missing(key, fix);
        }
        if (!(value instanceof Integer || value instanceof Long || value instanceof Short)
                || ((Number) value).longValue() != ((Number) value).intValue()) {
            throw wrongType(key, value, "a whole number");
        }
        return ((Number) value).intValue();
    }

    boolean optionalBoolean(String key, boolean absent) {
        Object value = values.get(key);
        if (value == null) {
            return absent;
        }
        if (!(value instanceof Boolean flag)) {
            throw wrongType(key, value, "true or false");
        }
        return flag;
    }

    Map<?, ?> requiredMap(String key, String fix) {
        Object value = values.get(key);
        if (value == null) {
            throw missing(key, fix);
        }
        if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
            throw wrongType(key, value, "a non-empty map");
        }
        return map;
    }

    InvalidTransformSpecException invalid(String problem, String fix) {
        return new InvalidTransformSpecException(transform, problem, fix);
    }

    private InvalidTransformSpecException missing(String key, String fix) {
        return invalid("parameter '" + key + "' is missing", fix + ", e.g. " + example);
    }

    private InvalidTransformSpecException wrongType(String key, Object value, String expected) {
        return invalid("parameter '" + key + "' must be " + expected + ", not '" + value + "'",
                "write it as in " + example);
    }
}
