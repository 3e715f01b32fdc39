package io.syncline.mapping;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dotted paths into nested JSON-like maps: {@code address.city} reads through (flatten) and
 * writes by creating the intermediate objects (expand).
 */
public final class FieldPaths {

    private FieldPaths() {
    }

    /** The steps of a dotted path; split once, when a contract is compiled. */
    public static String[] steps(String path) {
        return path.split("\\.");
    }

    /** The value at {@code path}, or null when any step is missing or not an object. */
    public static Object get(Map<String, ?> record, String path) {
        return get(record, steps(path));
    }

    public static Object get(Map<String, ?> record, String[] steps) {
        Object current = record;
        for (String step : steps) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(step);
        }
        return current;
    }

    /** Whether the record has a value (possibly null) at {@code path}. */
    public static boolean has(Map<String, ?> record, String path) {
        return has(record, steps(path));
    }

    public static boolean has(Map<String, ?> record, String[] steps) {
        Object parent = record;
        for (int i = 0; i < steps.length - 1 && parent != null; i++) {
            parent = parent instanceof Map<?, ?> map ? map.get(steps[i]) : null;
        }
        return parent instanceof Map<?, ?> map && map.containsKey(steps[steps.length - 1]);
    }

    public static void set(Map<String, Object> record, String path, Object value) {
        set(record, steps(path), value);
    }

    @SuppressWarnings("unchecked")
    public static void set(Map<String, Object> record, String[] steps, Object value) {
        Map<String, Object> current = record;
        for (int i = 0; i < steps.length - 1; i++) {
            Object next = current.get(steps[i]);
            if (!(next instanceof Map<?, ?>)) {
                next = new LinkedHashMap<String, Object>();
                current.put(steps[i], next);
            }
            current = (Map<String, Object>) next;
        }
        current.put(steps[steps.length - 1], value);
    }
}
