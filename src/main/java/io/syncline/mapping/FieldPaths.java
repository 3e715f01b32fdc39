package io.syncline.mapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dotted paths into nested JSON-like maps: {@code address.city} reads through (flatten) and
 * writes by creating the intermediate objects (expand). A step may name an element of a list by
 * its index, {@code Line[0].Amount}: read, it is that element (nothing where the list is shorter);
 * written, the list is created (or extended) as far as the element, so that a system wanting a
 * document with lines gets one line from a record's own fields (a deal's amount as an invoice's
 * line) without a list in the canonical record.
 */
public final class FieldPaths {

    private FieldPaths() {
    }

    /**
     * The steps of a dotted path, an index its own step ({@code Line[0].Amount}: {@code Line},
     * {@code [0]}, {@code Amount}); split once, when a contract is compiled.
     */
    public static String[] steps(String path) {
        if (path.indexOf('[') < 0) {
            return path.split("\\.");
        }
        List<String> steps = new ArrayList<>();
        for (String step : path.split("\\.")) {
            int open = step.indexOf('[');
            if (open <= 0 || !step.endsWith("]") || !indices(step.substring(open))) {
                steps.add(step); // not an index: a name with a bracket in it, as the system spells it
                continue;
            }
            steps.add(step.substring(0, open));
            for (String index : step.substring(open + 1, step.length() - 1).split("]\\[")) {
                steps.add("[" + index + "]");
            }
        }
        return steps.toArray(String[]::new);
    }

    /** Whether {@code path} names an element of a list ({@code Line[0].Amount}). */
    public static boolean indexed(String path) {
        for (String step : steps(path)) {
            if (isIndex(step)) {
                return true;
            }
        }
        return false;
    }

    /** The value at {@code path}, or null when any step is missing or not an object. */
    public static Object get(Map<String, ?> record, String path) {
        return get(record, steps(path));
    }

    public static Object get(Map<String, ?> record, String[] steps) {
        Object current = record;
        for (String step : steps) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(step);
            } else if (current == null) {
                return null;
            } else {
                current = get(current, step);
            }
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
            parent = get(parent, steps[i]);
        }
        String last = steps[steps.length - 1];
        return parent instanceof Map<?, ?> map ? map.containsKey(last)
                : parent instanceof List<?> list && isIndex(last) && index(last) < list.size();
    }

    public static void set(Map<String, Object> record, String path, Object value) {
        set(record, steps(path), value);
    }

    public static void set(Map<String, Object> record, String[] steps, Object value) {
        Object current = record;
        for (int i = 0; i < steps.length - 1; i++) {
            Object next = get(current, steps[i]);
            boolean list = isIndex(steps[i + 1]);
            if (list ? !(next instanceof List<?>) : !(next instanceof Map<?, ?>)) {
                next = list ? new ArrayList<>() : new LinkedHashMap<String, Object>();
                put(current, steps[i], next);
            }
            current = next;
        }
        put(current, steps[steps.length - 1], value);
    }

    private static Object get(Object container, String step) {
        if (container instanceof Map<?, ?> map) {
            return map.get(step);
        }
        if (container instanceof List<?> list && isIndex(step)) {
            int index = index(step);
            return index < list.size() ? list.get(index) : null;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static void put(Object container, String step, Object value) {
        if (container instanceof Map<?, ?> map) {
            ((Map<String, Object>) map).put(step, value);
            return;
        }
        List<Object> list = (List<Object>) container;
        int index = index(step);
        while (list.size() <= index) {
            list.add(null);
        }
        list.set(index, value);
    }

    private static boolean isIndex(String step) {
        return step.length() > 2 && step.charAt(0) == '[' && Character.isDigit(step.charAt(1));
    }

    private static int index(String step) {
        return Integer.parseInt(step, 1, step.length() - 1, 10);
    }

    /** Whether {@code brackets} is one or more {@code [n]}, each n a number. */
    private static boolean indices(String brackets) {
        return brackets.matches("(\\[\\d{1,6}])+");
    }
}
