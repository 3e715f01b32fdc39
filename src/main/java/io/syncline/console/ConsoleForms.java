package io.syncline.console;

import io.syncline.text.StrictUtf8;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reading the console's query and form parameters: blank is absent, numbers checked, and the
 * query and form text UTF-8 ({@link StrictUtf8}; else 400).
 */
final class ConsoleForms {

    private static final String CHECKED = "syncline.console.utf8-checked";

    private ConsoleForms() {
    }

    /** A query or form parameter, trimmed; null when absent or blank. */
    static String param(RoutingContext rc, String name) {
        requireUtf8(rc);
        String value = rc.request().getParam(name);
        if (value == null) {
            value = rc.request().getFormAttribute(name);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    static List<String> params(RoutingContext rc, String name) {
        requireUtf8(rc);
        List<String> values = rc.request().formAttributes().getAll(name);
        return values.isEmpty() ? rc.queryParam(name) : values;
    }

    /** A non-negative whole number, or {@code otherwise} when absent or not one. */
    static int number(RoutingContext rc, String name, int otherwise) {
        String value = param(rc, name);
        try {
            return value == null ? otherwise : Math.max(0, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** The path parameter {@code id}; -1 when it is not a number (no such item). */
    static long id(RoutingContext rc) {
        requireUtf8(rc);
        try {
            return Long.parseLong(rc.pathParam("id"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Once per request, before any parameter is read: Vert.x would read bytes that are not UTF-8 as U+FFFD. */
    private static void requireUtf8(RoutingContext rc) {
        if (rc.get(CHECKED) == null) {
            rc.put(CHECKED, Boolean.TRUE);
            String query = rc.request().query();
            StrictUtf8.form(query == null ? null : query.getBytes(StandardCharsets.ISO_8859_1));
            StrictUtf8.form(rc.body() == null || rc.body().buffer() == null ? null : rc.body().buffer().getBytes());
        }
    }
}
