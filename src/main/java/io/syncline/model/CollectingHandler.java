package io.syncline.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Records unknown keys and bad enum values while a model file or a system's settings are bound,
 * then lets the binding carry on with the rest, so that every mistake is listed at once.
 */
final class CollectingHandler extends DeserializationProblemHandler {

    /** Where a problem goes: its path in the model, what is wrong and the fix. */
    interface Sink {

        void add(String path, String problem, String fix);
    }

    private final Sink sink;
    /** Reading a tree (a system's settings), not a file's text. */
    private final boolean fromTree;

    CollectingHandler(boolean fromTree, Sink sink) {
        this.fromTree = fromTree;
        this.sink = sink;
    }

    @Override
    public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser,
            JsonDeserializer<?> deserializer, Object bean, String property)
            throws IOException {
        String known = deserializer.getKnownPropertyNames().stream()
                .map(String::valueOf).sorted().collect(Collectors.joining(", "));
        String path = YamlLocations.path(parser.getParsingContext());
        if (fromTree && ("." + path).endsWith("." + property + "." + property)) {
            // a tree names an object value's key in its own context too
            path = path.substring(0, path.length() - property.length() - 1);
        }
        if (!path.endsWith("." + property) && !path.equals(property)) {
            path = path.isEmpty() ? property : path + "." + property;
        }
        sink.add(path, "unknown key '" + property + "'", known.isEmpty() ? "remove it" : "use one of " + known);
        parser.skipChildren();
        return true;
    }

    @Override
    public Object handleWeirdStringValue(DeserializationContext context, Class<?> target, String value,
            String message) {
        JsonParser parser = context.getParser();
        String fix = target.isEnum()
                ? "use one of " + Arrays.stream(target.getEnumConstants())
                        .map(constant -> jsonName((Enum<?>) constant)).collect(Collectors.joining(", "))
                : "write a value of type " + target.getSimpleName().toLowerCase(Locale.ROOT);
        sink.add(YamlLocations.path(parser.getParsingContext()), "'" + value + "' is not allowed here", fix);
        return null;
    }

    private static String jsonName(Enum<?> constant) {
        try {
            var annotation = constant.getDeclaringClass().getField(constant.name())
                    .getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
            return annotation == null ? constant.name() : annotation.value();
        } catch (NoSuchFieldException e) {
            return constant.name();
        }
    }
}
