package io.syncline.console;

import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A list page's filters: each read once from the query ({@link ConsoleForms#param}), shown back in
 * the page's form under its own name, and kept in the page links as {@code query}.
 */
final class ConsoleFilters {

    private final Map<String, String> values;

    private ConsoleFilters(Map<String, String> values) {
        this.values = values;
    }

    static ConsoleFilters read(RoutingContext rc, String... names) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : names) {
            values.put(name, ConsoleForms.param(rc, name));
        }
        return new ConsoleFilters(values);
    }

    /** The filter's value; null when the query does not set it. */
    String get(String name) {
        return values.get(name);
    }

    /** The page's data to begin with: each filter under its name, and {@code query} for the page links. */
    Map<String, Object> data() {
        Map<String, Object> data = new HashMap<>(values);
        data.put("query", ConsoleQuery.of(values));
        return data;
    }
}
