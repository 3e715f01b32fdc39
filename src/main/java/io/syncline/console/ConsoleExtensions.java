package io.syncline.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quarkus.qute.TemplateExtension;
import io.syncline.reconcile.StoredDifference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the console's templates call as {@code cx:…}: waiting times, values and JSON for people to read. */
@TemplateExtension(namespace = "cx")
public final class ConsoleExtensions {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);

    private ConsoleExtensions() {
    }

    /** {@code held_record} as "held record". */
    static String label(String name) {
        return name == null ? "" : name.replace('_', ' ');
    }

    /** How long from {@code start} to {@code end}: "running" without an end. */
    static String duration(java.time.OffsetDateTime start, java.time.OffsetDateTime end) {
        if (start == null || end == null) {
            return end == null ? "running" : "—";
        }
        long millis = java.time.Duration.between(start, end).toMillis();
        return millis < 60_000 ? String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0) : age(millis / 1000);
    }

    /** {@link #duration} between two instants (a backfill job's start and end); nothing before it started. */
    static String took(java.time.Instant start, java.time.Instant end) {
        return start == null ? ""
                : duration(start == null ? null : start.atOffset(java.time.ZoneOffset.UTC), end == null ? null : end.atOffset(java.time.ZoneOffset.UTC));
    }

    /** A score between 0 and 1 as a percentage with one decimal: 0.9871 as "98.7 %". */
    static String percent(Double score) {
        return score == null ? "—" : String.format(java.util.Locale.ROOT, "%.1f %%", score * 100);
    }

    /** A duration in seconds as its largest units: 45 s, 12 min, 3 h 20 min, 2 d 4 h. */
    static String age(long seconds) {
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
        }
        return seconds / 86_400 + " d " + seconds % 86_400 / 3600 + " h";
    }

    /** A value as a person reads it: "(empty)" for none, text as it is, anything else as JSON. */
    static String text(Object value) {
        if (value == null) {
            return "(empty)";
        }
        return value instanceof String || value instanceof Number || value instanceof Boolean ? value.toString() : json(value);
    }

    /**
     * A difference field by field: its differing fields (every field of the side that has the
     * record, when only one has it), each with side A's and side B's value as text.
     */
    static List<Map<String, String>> fieldValues(StoredDifference difference) {
        JsonNode a = tree(difference.valuesA());
        JsonNode b = tree(difference.valuesB());
        Set<String> names = new LinkedHashSet<>();
        tree(difference.fields()).forEach(name -> names.add(name.asText()));
        if (names.isEmpty()) {
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (String name : names) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("field", name);
            row.put("a", side(a, name));
            row.put("b", side(b, name));
            rows.add(row);
        }
        if (rows.isEmpty()) {
            rows.add(Map.of("field", "—", "a", "", "b", ""));
        }
        return rows;
    }

    private static JsonNode tree(String text) {
        try {
            return text == null ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    private static String side(JsonNode values, String field) {
        JsonNode value = values.get(field);
        if (values.isEmpty() || value == null) {
            return values.isEmpty() ? "(no record)" : "(empty)";
        }
        return value.isNull() ? "(empty)" : value.isValueNode() ? value.asText() : value.toString();
    }

    /** Indented JSON; text that is JSON already is indented too. */
    static String json(Object value) {
        try {
            if (value instanceof String text) {
                try {
                    return JSON.writeValueAsString(JSON.readTree(text));
                } catch (JsonProcessingException e) {
                    return text;
                }
            }
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
