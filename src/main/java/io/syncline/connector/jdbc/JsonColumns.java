package io.syncline.connector.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A list (an invoice's lines, a list of values) as the JSON text a json or jsonb column takes
 * ({@code json: true} on its field contract). Read back, the column's text is parsed by the
 * field contract of the list.
 */
final class JsonColumns {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonColumns() {
    }

    static String text(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a list that cannot be written as JSON: " + e.getMessage(), e);
        }
    }
}
