package io.syncline.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads model files into one {@link SyncModel}. Keeps reading past mistakes (unknown keys,
 * bad enum values, a system declared in two files) so that start-up can list all of them.
 */
public final class ModelReader {

    private final YAMLFactory factory = new YAMLFactory();

    public record Result(SyncModel model, ProblemReporter problems) {
    }

    public Result read(Collection<ModelFile> files) {
        ProblemReporter reporter = new ProblemReporter();
        Map<String, SystemDefinition> systems = new LinkedHashMap<>();
        Map<String, EntityDefinition> entities = new LinkedHashMap<>();
        Map<String, ReconciliationDefinition> reconciliations = new LinkedHashMap<>();
        Map<String, BackfillDefinition> backfills = new LinkedHashMap<>();
        Map<String, String> declaredIn = new LinkedHashMap<>();
        for (ModelFile file : files) {
            YamlLocations locations = YamlLocations.of(file.content(), factory);
            SyncModel part = bind(file, locations, reporter);
            if (part == null) {
                continue;
            }
            part.systems().forEach((name, system) -> {
                if (declare("systems." + name, file, locations, declaredIn, reporter)) {
                    systems.put(name, system);
                }
            });
            part.entities().forEach((name, entity) -> {
                if (declare("entities." + name, file, locations, declaredIn, reporter)) {
                    entities.put(name, entity);
                }
            });
            part.reconciliations().forEach((name, job) -> {
                if (declare("reconciliations." + name, file, locations, declaredIn, reporter)) {
                    reconciliations.put(name, job);
                }
            });
            part.backfills().forEach((name, backfill) -> {
                if (declare("backfills." + name, file, locations, declaredIn, reporter)) {
                    backfills.put(name, backfill);
                }
            });
        }
        return new Result(new SyncModel(systems, entities, reconciliations, backfills), reporter);
    }

    private static boolean declare(String element, ModelFile file, YamlLocations locations,
            Map<String, String> declaredIn, ProblemReporter reporter) {
        String earlier = declaredIn.putIfAbsent(element, file.location());
        if (earlier != null) {
            reporter.add(new ModelProblem(file.location(), locations.lineOf(element), element,
                    element + " is declared twice (first in " + earlier + ")", "keep one declaration and delete the other"));
            return false;
        }
        reporter.declare(element, file.location(), locations);
        return true;
    }

    private SyncModel bind(ModelFile file, YamlLocations locations, ProblemReporter reporter) {
        try {
            JsonNode tree = withPresets(new YAMLMapper(factory).readTree(file.content()));
            YAMLMapper mapper = YAMLMapper.builder(factory)
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .addHandler(new CollectingHandler(file.location(), locations, reporter, tree != null))
                    .build();
            SyncModel model = tree == null ? mapper.readValue(file.content(), SyncModel.class)
                    : mapper.readerFor(SyncModel.class).readValue(tree);
            return model == null ? new SyncModel(null, null, null) : model;
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String path = e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping
                    ? pathOf(mapping) : "";
            reporter.add(new ModelProblem(file.location(), location == null ? 0 : location.getLineNr(),
                    path.isEmpty() ? "(document)" : path, e.getOriginalMessage(),
                    "correct the YAML at that line; see docs/model.md for the expected shape"));
            return null;
        } catch (IOException e) {
            reporter.add(new ModelProblem(file.location(), 0, "(document)", "cannot be read: " + e.getMessage(), null));
            return null;
        }
    }

    /**
     * The file's tree with each system of a preset's type laid over its preset ({@link SystemPresets});
     * null when it has none, and is read as written (with each problem's line from the parser).
     */
    private static JsonNode withPresets(JsonNode tree) {
        if (tree == null || !(tree.get("systems") instanceof ObjectNode systems)) {
            return null;
        }
        boolean preset = false;
        for (Iterator<Map.Entry<String, JsonNode>> each = systems.fields(); each.hasNext();) {
            Map.Entry<String, JsonNode> system = each.next();
            JsonNode applied = SystemPresets.apply(system.getValue());
            if (applied != system.getValue()) {
                system.setValue(applied);
                preset = true;
            }
        }
        return preset ? tree : null;
    }

    private static String pathOf(com.fasterxml.jackson.databind.JsonMappingException e) {
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

    /** Records unknown keys and bad enum values, then carries on with the rest of the file. */
    private static final class CollectingHandler extends DeserializationProblemHandler {

        private final String file;
        private final YamlLocations locations;
        private final ProblemReporter reporter;
        /** Reading a tree (systems laid over their presets), not the file's text. */
        private final boolean fromTree;

        CollectingHandler(String file, YamlLocations locations, ProblemReporter reporter, boolean fromTree) {
            this.file = file;
            this.locations = locations;
            this.reporter = reporter;
            this.fromTree = fromTree;
        }

        @Override
        public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser,
                JsonDeserializer<?> deserializer, Object bean, String property)
                throws IOException {
            String known = deserializer.getKnownPropertyNames().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            String path = YamlLocations.path(parser.getParsingContext());
            if (fromTree && path.endsWith("." + property + "." + property)) {
                // a tree (a system laid over its preset) names an object value's key in its own context too
                path = path.substring(0, path.length() - property.length() - 1);
            }
            if (!path.endsWith("." + property) && !path.equals(property)) {
                path = path.isEmpty() ? property : path + "." + property;
            }
            reporter.add(new ModelProblem(file, locations.lineOf(path), path, "unknown key '" + property + "'",
                    known.isEmpty() ? "remove it" : "use one of " + known));
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
                    : "write a value of type " + target.getSimpleName().toLowerCase(java.util.Locale.ROOT);
            String path = YamlLocations.path(parser.getParsingContext());
            reporter.add(new ModelProblem(file, locations.lineOf(path), path, "'" + value + "' is not allowed here", fix));
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
}
