package io.syncline.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The line of every path in one YAML document ({@code entities.contact.fields[2].path -> 41}),
 * so that problems found after binding can still point at a line.
 */
public final class YamlLocations {

    private final Map<String, Integer> lines;

    private YamlLocations(Map<String, Integer> lines) {
        this.lines = lines;
    }

    public static YamlLocations of(byte[] yaml, YAMLFactory factory) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = factory.createParser(yaml)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                lines.putIfAbsent(path(parser.getParsingContext()), parser.currentTokenLocation().getLineNr());
            }
        } catch (IOException e) {
            // The binding pass reports the syntax error with its own location.
        }
        return new YamlLocations(lines);
    }

    /** The line of {@code path}, or of its nearest ancestor that has one; 0 when unknown. */
    public int lineOf(String path) {
        for (String candidate = path; !candidate.isEmpty(); candidate = parent(candidate)) {
            Integer line = lines.get(candidate);
            if (line != null) {
                return line;
            }
        }
        return 0;
    }

    /** Dotted path of the parser's position: {@code entities.contact.fields[2].path}. */
    public static String path(JsonStreamContext context) {
        Deque<String> segments = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                segments.push("[" + Math.max(c.getCurrentIndex(), 0) + "]");
            } else if (c.getCurrentName() != null) {
                segments.push("." + c.getCurrentName());
            }
        }
        String joined = String.join("", segments);
        return joined.startsWith(".") ? joined.substring(1) : joined;
    }

    static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? "" : path.substring(0, cut);
    }
}
