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
