package io.syncline.connector.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A record envelope's path ({@code user}, {@code data}, {@code Contacts[0]}): the record wrapped
 * in it for a request, and found in it in an answer. A step ending in {@code [0]} is an array
 * whose first element is the next step (or the record).
 */
final class EnvelopePath {

    private EnvelopePath() {
    }

    /** {@code record} wrapped: {@code Contacts[0]} makes {@code {"Contacts": [record]}}; no path, the record itself. */
    static Object wrap(String path, Map<String, Object> record) {
        if (path == null) {
            return record;
        }
        String[] steps = path.split("\\.");
        Object wrapped = record;
        for (int i = steps.length - 1; i >= 0; i--) {
            String step = steps[i];
            boolean first = step.endsWith("[0]");
            Map<String, Object> level = new LinkedHashMap<>();
            level.put(first ? step.substring(0, step.length() - 3) : step, first ? List.of(wrapped) : wrapped);
            wrapped = level;
        }
        return wrapped;
    }

    /** What is at {@code path} in {@code answer}; null where a step is missing. No path: the answer itself. */
    static Object unwrap(String path, Object answer) {
        if (path == null) {
            return answer;
        }
        Object current = answer;
        for (String step : path.split("\\.")) {
            boolean first = step.endsWith("[0]");
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(first ? step.substring(0, step.length() - 3) : step);
            if (first) {
                current = current instanceof List<?> list && !list.isEmpty() ? list.get(0) : null;
            }
        }
        return current;
    }
}
