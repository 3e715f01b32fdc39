package io.syncline.console;

import io.vertx.ext.web.RoutingContext;

import java.util.List;

/** Reading the console's query and form parameters: blank is absent, numbers checked. */
final class ConsoleForms {

    private ConsoleForms() {
    }

    /** A query or form parameter, trimmed; null when absent or blank. */
    static String param(RoutingContext rc, String name) {
        String value = rc.request().getParam(name);
        if (value == null) {
            value = rc.request().getFormAttribute(name);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    static List<String> params(RoutingContext rc, String name) {
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
        try {
            return Long.parseLong(rc.pathParam("id"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
