package io.syncline.model;

import java.util.List;
import java.util.stream.Collectors;

/** The model has problems; start-up stops and lists every one of them. */
public class ModelValidationException extends RuntimeException {

    private final List<ModelProblem> problems;

    public ModelValidationException(List<ModelProblem> problems) {
        super("The sync model has " + problems.size() + (problems.size() == 1 ? " problem" : " problems") + ":\n"
                + problems.stream().map(problem -> "  - " + problem).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<ModelProblem> problems() {
        return problems;
    }
}
