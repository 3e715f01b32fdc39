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

    /** The value at {@code path}, or null when any step is missing or not an object. */
    public static Object get(Map<String, ?> record, String path) {
        Object current = record;
        for (String step : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(step);
        }
        return current;
    }

    /** Whether the record has a value (possibly null) at {@code path}. */
    public static boolean has(Map<String, ?> record, String path) {
        int dot = path.lastIndexOf('.');
        Object parent = dot < 0 ? record : get(record, path.substring(0, dot));
        return parent instanceof Map<?, ?> map && map.containsKey(path.substring(dot + 1));
    }

    @SuppressWarnings("unchecked")
    public static void set(Map<String, Object> record, String path, Object value) {
        String[] steps = path.split("\\.");
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
