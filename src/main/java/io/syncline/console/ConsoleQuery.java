package io.syncline.console;

import io.syncline.store.Page;
import io.vertx.ext.web.RoutingContext;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/** A list's paging: its filters as a query string for its page links, and a keyset page put into its data. */
final class ConsoleQuery {

    private ConsoleQuery() {
    }

    /** @param pairs name, value, name, value, …; null values are left out */
    static String of(String... pairs) {
        Map<String, String> filters = new TreeMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            filters.put(pairs[i], pairs[i + 1]);
        }
        return of(filters);
    }

    /** @param filters value by name; null values are left out */
    static String of(Map<String, String> filters) {
        StringJoiner query = new StringJoiner("&");
        new TreeMap<>(filters).forEach((name, value) -> {
            if (value != null) {
                query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }

    /**
     * A keyset page into the page's data: its items as {@code name}, {@code nextCursor} (null after
     * the last) and {@code paged}, whether the query asked for a later page than the first.
     */
    static void putPage(RoutingContext rc, Map<String, Object> data, String name, Page<?> page) {
        data.put(name, page.items());
        data.put("nextCursor", page.nextCursor());
        data.put("paged", ConsoleForms.param(rc, "cursor") != null);
    }
}
