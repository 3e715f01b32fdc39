package io.syncline.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds a system's settings, as the model wrote them, to its type's settings class, keeping each
 * mistake (an unknown key, a value not allowed, a value of the wrong shape) as a problem at its
 * path under the system ({@code systems.crm.auth.type}), worded as for the rest of the model.
 * A type's rules report them when the model is validated ({@link SystemTypeRules#validate}).
 */
public final class SettingsBinder {

    /** Settings bound, with the problems found binding them, their paths relative to the system. */
    public record Bound<T>(T value, List<Problem> problems) {

        public Bound {
            problems = List.copyOf(problems);
        }

        /** Reports each problem at its path under {@code path} ({@code systems.crm}). */
        public void report(String path, ProblemReporter reporter) {
            problems.forEach(problem -> reporter.report(problem.path().isEmpty() ? path : path + "." + problem.path(),
                    problem.problem(), problem.fix()));
        }
    }

    /** One mistake in a system's settings; {@code path} is relative to the system. */
    public record Problem(String path, String problem, String fix) {
    }

    private SettingsBinder() {
    }

    /**
     * The settings {@code settings} bound to {@code kind}; settings that cannot be bound at all
     * (a list where a mapping belongs) bind as if none were written, with the problem kept.
     */
    public static <T> Bound<T> bind(JsonNode settings, Class<T> kind) {
        List<Problem> problems = new ArrayList<>();
        ObjectMapper mapper = YAMLMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .addHandler(new CollectingHandler(true, (path, problem, fix) -> problems.add(new Problem(path, problem, fix))))
                .build();
        try {
            return new Bound<>(mapper.readerFor(kind).readValue(settings), problems);
        } catch (JsonProcessingException e) {
            String path = e instanceof JsonMappingException mapping ? pathOf(mapping) : "";
            problems.add(new Problem(path, e.getOriginalMessage(),
                    "correct the YAML at that line; see docs/model.md for the expected shape"));
            return new Bound<>(empty(mapper, kind), problems);
        } catch (IOException e) {
            problems.add(new Problem("", "cannot be read: " + e.getMessage(), null));
            return new Bound<>(empty(mapper, kind), problems);
        }
    }

    private static <T> T empty(ObjectMapper mapper, Class<T> kind) {
        try {
            return mapper.readerFor(kind).readValue(JsonNodeFactory.instance.objectNode());
        } catch (IOException e) {
            throw new IllegalStateException(kind.getName() + " cannot be bound from no settings", e);
        }
    }

    static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (var reference : e.getPath()) {
            if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            }
        }
        return path.toString();
    }
}
