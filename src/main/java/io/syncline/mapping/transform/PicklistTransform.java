package io.syncline.mapping.transform;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code picklist}: a closed set of system values mapped to canonical values. Values are compared
 * by their text ({@code 1} and {@code "1"} are the same value), system values case-insensitively
 * when {@code caseInsensitive: true}. A value outside the map becomes {@code default} if declared,
 * else it is refused.
 * <p>
 * Back to the system, each canonical value maps to the first system value declared for it: with
 * {@code {Active: active, Enabled: active}}, {@code active} is written as {@code Active}. The
 * default is not reversed, since the system value it stood for is unknown; a canonical value
 * without a system value is refused.
 */
final class PicklistTransform implements FieldTransform {

    static final String NAME = "picklist";
    private static final String EXAMPLE = "{picklist: {map: {Active: active, \"On hold\": paused}, default: unknown}}";

    private final List<String> systemValues;
    private final Map<String, Object> canonicalBySystem;
    private final Map<String, Object> systemByCanonical;
    private final Object defaultValue;
    private final boolean caseInsensitive;

    private PicklistTransform(List<String> systemValues, Map<String, Object> canonicalBySystem,
            Map<String, Object> systemByCanonical, Object defaultValue, boolean caseInsensitive) {
        this.systemValues = systemValues;
        this.canonicalBySystem = canonicalBySystem;
        this.systemByCanonical = systemByCanonical;
        this.defaultValue = defaultValue;
        this.caseInsensitive = caseInsensitive;
    }

    static PicklistTransform create(Object parameters) {
        TransformParameters params = TransformParameters.read(NAME, parameters, EXAMPLE,
                Set.of("map", "default", "caseInsensitive"));
        Map<?, ?> declared = params.requiredMap("map", "map each system value to its canonical value");
        boolean caseInsensitive = params.optionalBoolean("caseInsensitive", false);
        Object defaultValue = params.value("default");
        if (defaultValue instanceof Map || defaultValue instanceof List) {
            throw params.invalid("default must be a single value, not '" + defaultValue + "'",
                    "write it as in " + EXAMPLE);
        }
        List<String> systemValues = new ArrayList<>();
        Map<String, Object> canonicalBySystem = new LinkedHashMap<>();
        Map<String, Object> systemByCanonical = new LinkedHashMap<>();
        declared.forEach((system, canonical) -> {
            if (system == null || canonical == null || canonical instanceof Map || canonical instanceof List) {
                throw params.invalid("entry '" + system + ": " + canonical
                        + "' is not a system value and a canonical value",
                        "write each entry as systemValue: canonicalValue, e.g. " + EXAMPLE);
            }
            Object earlier = canonicalBySystem.putIfAbsent(key(system, caseInsensitive), canonical);
            if (earlier != null && !key(earlier, false).equals(key(canonical, false))) {
                throw params.invalid("system value '" + system + "' is declared twice, mapping to '" + earlier
                        + "' and '" + canonical + "'" + (caseInsensitive ? " (caseInsensitive: true)" : ""),
                        "keep one of the two entries");
            }
            systemValues.add(String.valueOf(system));
            systemByCanonical.putIfAbsent(key(canonical, false), system);
        });
        return new PicklistTransform(List.copyOf(systemValues), canonicalBySystem, systemByCanonical, defaultValue,
                caseInsensitive);
    }

    @Override
    public Object toCanonical(Object value, TransformContext context) {
        if (value == null) {
            return null;
        }
        Object canonical = canonicalBySystem.get(key(value, caseInsensitive));
        if (canonical != null) {
            return canonical;
        }
        if (defaultValue != null) {
            return defaultValue;
        }
        throw new UnknownPicklistValueException(context, Direction.TO_CANONICAL, value, systemValues);
    }

    @Override
    public Object toSystem(Object value, TransformContext context) {
        if (value == null) {
            return null;
        }
        Object system = systemByCanonical.get(key(value, false));
        if (system == null) {
            throw new UnknownPicklistValueException(context, Direction.TO_SYSTEM, value,
                    new ArrayList<>(systemByCanonical.keySet()));
        }
        return system;
    }

    private static String key(Object value, boolean caseInsensitive) {
        String text = String.valueOf(value);
        return caseInsensitive ? text.toLowerCase(Locale.ROOT) : text;
    }
}
