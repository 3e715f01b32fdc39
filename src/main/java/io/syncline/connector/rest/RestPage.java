package io.syncline.connector.rest;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpHeaders;

/**
 * One page a REST source answered: where it was fetched from, its headers and its JSON body, how
 * many records it listed and the last of them (null when none).
 */
record RestPage(URI uri, HttpHeaders headers, JsonNode body, int items, JsonNode lastItem) {

    RestPage(URI uri, HttpHeaders headers, JsonNode body, int items) {
        this(uri, headers, body, items, null);
    }

    /** The value at a dotted path of the body ({@code paging.next.after}), or null. */
    String text(String path) {
        JsonNode node = at(path);
        return node == null || node.isNull() || node.isMissingNode() || node.asText().isEmpty() ? null : node.asText();
    }

    JsonNode at(String path) {
        return path == null ? null : at(body, path);
    }

    /** The node at a dotted path ({@code paging.next.after}) in an answer's body; null where a step is missing. */
    static JsonNode at(JsonNode body, String path) {
        JsonNode node = body;
        for (String step : path.split("\\.")) {
            if (node == null) {
                return null;
            }
            node = node.get(step);
        }
        return node;
    }
}
