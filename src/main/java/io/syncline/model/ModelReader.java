package io.syncline.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads model files into one {@link SyncModel}. Keeps reading past mistakes (unknown keys,
 * bad enum values, a system declared in two files) so that start-up can list all of them; a
 * system's settings are its type's to bind and check ({@link SettingsBinder}).
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
            declareAll("systems.", part.systems(), systems, file, locations, declaredIn, reporter);
            declareAll("entities.", part.entities(), entities, file, locations, declaredIn, reporter);
            declareAll("reconciliations.", part.reconciliations(), reconciliations, file, locations, declaredIn, reporter);
            declareAll("backfills.", part.backfills(), backfills, file, locations, declaredIn, reporter);
        }
        return new Result(new SyncModel(systems, entities, reconciliations, backfills), reporter);
    }

    /** Each of a file's declarations of one kind ({@code prefix}: {@code systems.}) that no earlier file made, into {@code into}. */
    private static <T> void declareAll(String prefix, Map<String, T> declared, Map<String, T> into, ModelFile file,
            YamlLocations locations, Map<String, String> declaredIn, ProblemReporter reporter) {
        declared.forEach((name, definition) -> {
            if (declare(prefix + name, file, locations, declaredIn, reporter)) {
                into.put(name, definition);
            }
        });
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
            YAMLMapper mapper = YAMLMapper.builder(factory)
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .addHandler(new CollectingHandler(false, (path, problem, fix) -> reporter.add(
                            new ModelProblem(file.location(), locations.lineOf(path), path, problem, fix))))
                    .build();
            SyncModel model = mapper.readValue(file.content(), SyncModel.class);
            return model == null ? new SyncModel(null, null, null) : model;
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            String path = e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping
                    ? SettingsBinder.pathOf(mapping) : "";
            reporter.add(new ModelProblem(file.location(), location == null ? 0 : location.getLineNr(),
                    path.isEmpty() ? "(document)" : path, e.getOriginalMessage(),
                    "correct the YAML at that line; see docs/model.md for the expected shape"));
            return null;
        } catch (IOException e) {
            reporter.add(new ModelProblem(file.location(), 0, "(document)", "cannot be read: " + e.getMessage(), null));
            return null;
        }
    }
}
