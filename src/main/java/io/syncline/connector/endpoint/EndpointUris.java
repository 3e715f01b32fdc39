package io.syncline.connector.endpoint;

import java.util.LinkedHashMap;
import java.util.Map;

/** The parts of a Camel endpoint URI a system's type reads and sets: its path and its options. */
final class EndpointUris {

    private EndpointUris() {
    }

    /** The URI without its options: {@code scheme:path}. */
    static String path(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /** The URI's options in their order, values as written (Camel decodes them). */
    static Map<String, String> options(String uri) {
        Map<String, String> options = new LinkedHashMap<>();
        int query = uri.indexOf('?');
        if (query < 0) {
            return options;
        }
        for (String option : uri.substring(query + 1).split("&")) {
            if (option.isEmpty()) {
                continue;
            }
            int equals = option.indexOf('=');
            options.put(equals < 0 ? option : option.substring(0, equals), equals < 0 ? "" : option.substring(equals + 1));
        }
        return options;
    }
}
