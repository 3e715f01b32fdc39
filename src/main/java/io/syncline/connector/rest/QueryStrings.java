package io.syncline.connector.rest;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** Sets query parameters on a URI, keeping the others, values URL-encoded. */
final class QueryStrings {

    private QueryStrings() {
    }

    static URI with(URI uri, Map<String, String> parameters) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                query.put(equals < 0 ? pair : pair.substring(0, equals), equals < 0 ? "" : pair.substring(equals + 1));
            }
        }
        parameters.forEach((name, value) -> query.put(encode(name), encode(value)));
        StringJoiner joined = new StringJoiner("&");
        query.forEach((name, value) -> joined.add(name + "=" + value));
        String text = uri.toString();
        int cut = text.indexOf('?');
        return URI.create((cut < 0 ? text : text.substring(0, cut)) + "?" + joined);
    }

    static URI with(URI uri, String name, String value) {
        return with(uri, Map.of(name, value));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
