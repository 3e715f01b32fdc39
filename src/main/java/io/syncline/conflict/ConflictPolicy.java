package io.syncline.conflict;

import java.util.Map;

/**
 * The strategies in force for one entity: the entity's own, and the fields that override it.
 * Compiled from the model's {@code conflict:} by {@link ConflictPolicyCompiler}.
 */
public record ConflictPolicy(ConflictStrategy strategy, Map<String, ConflictStrategy> fieldStrategies) {

    public ConflictPolicy {
        fieldStrategies = Map.copyOf(fieldStrategies);
    }

    /** Master-always-wins for every field. */
    public static ConflictPolicy byDefault() {
        return new ConflictPolicy(ConflictStrategies.builtIn().defaultStrategy(), Map.of());
    }

    public ConflictStrategy forField(String field) {
        return fieldStrategies.getOrDefault(field, strategy);
    }
}
