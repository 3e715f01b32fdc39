package io.syncline.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.quarkus.qute.TemplateExtension;

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
