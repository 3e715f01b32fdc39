package io.syncline.conflict;

import io.syncline.mapping.FieldContract;
import io.syncline.model.ConflictSpec;
import io.syncline.model.EntityDefinition;
import io.syncline.model.ProblemReporter;
import io.syncline.model.Suggestions;
import io.syncline.model.SyncModel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns each entity's {@code conflict:} into a {@link ConflictPolicy}, reporting every mistake
 * with its fix: an unknown strategy (the closest name suggested), an override for a field the
 * entity does not declare, and a timestamp strategy where the systems' modification times are
 * not known (no {@code modifiedAt}, or a system whose mapping does not read it), and for
 * {@code weighted}, a system of the entity without a weight, a weight for a system the entity
 * does not map, a weight that is not positive, and weights no strategy reads.
 */
public final class ConflictPolicyCompiler {

    private final ConflictStrategies strategies;

    public ConflictPolicyCompiler(ConflictStrategies strategies) {
        this.strategies = strategies;
    }

    /**
     * @param contracts the compiled field contracts, entity to system to contract, to see which
     *                  systems read the modification time
     */
    public Map<String, ConflictPolicy> compile(SyncModel model, Map<String, Map<String, FieldContract>> contracts,
            ProblemReporter problems) {
        Map<String, ConflictPolicy> policies = new LinkedHashMap<>();
        model.entities().forEach((name, entity) -> {
            String path = "entities." + name + ".conflict";
            ConflictSpec spec = entity.conflict();
            ConflictStrategy strategy = spec.strategy() == null ? strategies.defaultStrategy()
                    : strategy(path + ".strategy", spec.strategy(), entity, contracts.get(name), problems).orElse(null);
            Map<String, ConflictStrategy> fields = new LinkedHashMap<>();
            spec.fields().forEach((field, strategyName) -> {
                String at = path + ".fields." + field;
                if (!entity.fields().containsKey(field)) {
                    problems.report(at, "'" + field + "' is not a declared field of " + name,
                            Suggestions.oneOf(field, entity.fields().keySet()));
                } else if (field.equals(entity.modifiedAt())) {
                    problems.report(at, "the modification time " + field + " is never a conflict: after a merge it takes"
                            + " the later of the two times", "remove " + field + " from conflict.fields");
                }
                strategy(at, strategyName, entity, contracts.get(name), problems).ifPresent(found -> fields.put(field, found));
            });
            boolean weighted = strategy != null && strategy.needsWeights()
                    || fields.values().stream().anyMatch(ConflictStrategy::needsWeights);
            checkWeights(path, name, entity, weighted, problems);
            if (strategy != null) {
                policies.put(name, new ConflictPolicy(withWeights(strategy, spec), withWeights(fields, spec)));
            }
        });
        return policies;
    }

    private Optional<ConflictStrategy> strategy(String path, String name, EntityDefinition entity,
            Map<String, FieldContract> contracts, ProblemReporter problems) {
        Optional<ConflictStrategy> strategy = strategies.find(name);
        if (strategy.isEmpty()) {
            problems.report(path, "unknown conflict strategy '" + name + "'", Suggestions.oneOf(name, strategies.names()));
            return strategy;
        }
        if (strategy.get().needsModificationTimes()) {
            checkModificationTimes(path, name, entity, contracts, problems);
        }
        return strategy;
    }

    private static void checkWeights(String path, String name, EntityDefinition entity, boolean weighted,
            ProblemReporter problems) {
        Map<String, Integer> weights = entity.conflict().weights();
        if (!weighted) {
            if (!weights.isEmpty()) {
                problems.report(path + ".weights", "weights are read by the weighted strategy only, and no strategy of "
                        + name + " is weighted", "write strategy: weighted (or a field's), or remove weights");
            }
            return;
        }
        Set<String> systems = entity.mappings().keySet();
        weights.forEach((system, weight) -> {
            String at = path + ".weights." + system;
            if (!systems.contains(system)) {
                problems.report(at, "'" + system + "' is not a system " + name + " is mapped to",
                        Suggestions.oneOf(system, systems));
            } else if (weight == null || weight <= 0) {
                problems.report(at, "the weight of " + system + " is " + weight + ", and a weight must be positive",
                        "write a whole number above 0, e.g. " + system + ": 50 (the heavier system wins)");
            }
        });
        for (String system : new TreeSet<>(systems)) {
            if (!weights.containsKey(system)) {
                problems.report(path + ".weights", "weighted needs a weight for every system of " + name + ", and "
                        + system + " has none",
                        "add " + system + ": <a positive weight> under conflict.weights, e.g. "
                                + system + ": 50 (the heavier system wins a conflict)");
            }
        }
    }

    private static ConflictStrategy withWeights(ConflictStrategy strategy, ConflictSpec spec) {
        return strategy.needsWeights() ? strategy.withWeights(spec.weights()) : strategy;
    }

    private static Map<String, ConflictStrategy> withWeights(Map<String, ConflictStrategy> fields, ConflictSpec spec) {
        Map<String, ConflictStrategy> bound = new LinkedHashMap<>();
        fields.forEach((field, strategy) -> bound.put(field, withWeights(strategy, spec)));
        return bound;
    }

    private static void checkModificationTimes(String path, String name, EntityDefinition entity,
            Map<String, FieldContract> contracts, ProblemReporter problems) {
        if (entity.modifiedAt() == null) {
            problems.report(path, name + " compares the systems' modification times, and the entity has no modifiedAt",
                    "add modifiedAt: <the timestamp field with the record's last-modified time>, e.g. modifiedAt: updatedAt");
            return;
        }
        if (contracts == null) {
            return;
        }
        contracts.forEach((system, contract) -> {
            boolean reads = contract.fields().stream()
                    .anyMatch(field -> field.field().equals(entity.modifiedAt()) && field.direction().reads() && field.path() != null);
            if (!reads) {
                problems.report(path, name + " needs every system's modification time, and the mapping of " + system
                        + " does not read " + entity.modifiedAt(),
                        "map " + entity.modifiedAt() + " in mappings." + system + " (direction in or both)");
            }
        });
    }
}
