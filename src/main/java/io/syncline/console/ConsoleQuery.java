package io.syncline.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/** A list's filters as a query string, for its page links. */
final class ConsoleQuery {

    private ConsoleQuery() {
    }

    /** @param pairs name, value, name, value, …; null values are left out */
    static String of(String... pairs) {
        Map<String, String> filters = new TreeMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            filters.put(pairs[i], pairs[i + 1]);
        }
        StringJoiner query = new StringJoiner("&");
        filters.forEach((name, value) -> {
            if (value != null) {
                query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }
}
