package io.syncline.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects problems, locating each by its model path: {@code systems.crm…} and
 * {@code entities.contact…} are found in the file that declared that system or entity.
 */
public final class ProblemReporter {

    private record Origin(String file, YamlLocations locations) {
    }

    private final Map<String, Origin> origins = new HashMap<>();
    private final List<ModelProblem> problems = new ArrayList<>();

    /** Declares that {@code element} ({@code systems.crm}) comes from {@code file}. */
    void declare(String element, String file, YamlLocations locations) {
        origins.put(element, new Origin(file, locations));
    }

    /** A problem found while reading a file, already located by the parser. */
    void add(ModelProblem problem) {
        problems.add(problem);
    }

    public void report(String path, String problem, String fix) {
        Origin origin = originOf(path);
        problems.add(new ModelProblem(origin == null ? "model" : origin.file(),
                origin == null ? 0 : origin.locations().lineOf(path), path, problem, fix));
    }

    public List<ModelProblem> problems() {
        return List.copyOf(problems);
    }

    private Origin originOf(String path) {
        String[] segments = path.split("\\.", 3);
        if (segments.length < 2) {
            return null;
        }
        String name = segments[1].contains("[") ? segments[1].substring(0, segments[1].indexOf('[')) : segments[1];
        return origins.get(segments[0] + "." + name);
    }
}
