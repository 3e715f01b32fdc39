package io.syncline.connector.rest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A record written as {@code application/x-www-form-urlencoded}, nested members in brackets as
 * Stripe and Rails-style APIs read them: {@code {"address": {"city": "Paris"}}} is
 * {@code address[city]=Paris}, a list's items {@code preferred_locales[0]=fr}. A null is sent as
 * the empty value, which such APIs read as "clear it"; an empty object or list sends nothing.
 */
public final class FormBody {

    public static final String CONTENT_TYPE = "application/x-www-form-urlencoded";

    private FormBody() {
    }

    /** The encoded body of {@code record}. */
    public static String encode(Map<String, ?> record) {
        StringJoiner body = new StringJoiner("&");
        record.forEach((name, value) -> add(body, name, value));
        return body.toString();
    }

    private static void add(StringJoiner body, String name, Object value) {
        if (value instanceof Map<?, ?> members) {
            members.forEach((member, inner) -> add(body, name + "[" + member + "]", inner));
        } else if (value instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                add(body, name + "[" + i + "]", items.get(i));
            }
        } else {
            body.add(encoded(name) + "=" + (value == null ? "" : encoded(value.toString())));
        }
    }

    private static String encoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
