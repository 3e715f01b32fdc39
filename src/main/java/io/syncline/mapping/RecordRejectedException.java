package io.syncline.mapping;

import io.syncline.failure.PermanentFailure;

import java.util.List;

/**
 * A source record that cannot become a canonical record: a required field is missing under
 * the {@code reject} policy, or a value fails its transforms. Every field problem is listed.
 * It goes to the dead-letter table with this reason; retrying cannot help.
 */
public class RecordRejectedException extends RuntimeException implements PermanentFailure {

    private final String entity;
    private final String system;
    private final List<String> problems;

    public RecordRejectedException(String entity, String system, List<String> problems) {
        super(entity + " from " + system + " rejected: " + String.join("; ", problems));
        this.entity = entity;
        this.system = system;
        this.problems = List.copyOf(problems);
    }

    public String entity() {
        return entity;
    }

    public String system() {
        return system;
    }

    public List<String> problems() {
        return problems;
    }
}
