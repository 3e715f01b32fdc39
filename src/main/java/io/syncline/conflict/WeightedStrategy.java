package io.syncline.conflict;

import java.util.HashMap;
import java.util.Map;

/**
 * The heavier system wins: each system of the entity has a weight ({@code conflict.weights}),
 * and the side with the greater one keeps the field, whoever is the master and whenever each
 * changed it. Equal weights go to {@link ConflictTies}: the field's master, else the system
 * whose name sorts first.
 */
public final class WeightedStrategy extends NamedStrategy {

    public static final String NAME = "weighted";

    /** The strategy as listed by name, before an entity gives it weights: every conflict a tie. */
    public WeightedStrategy() {
        this(Map.of());
    }

    private WeightedStrategy(Map<String, Integer> weights) {
        super(NAME, conflict -> resolve(conflict, weights));
    }

    @Override
    public boolean needsWeights() {
        return true;
    }

    @Override
    public ConflictStrategy withWeights(Map<String, Integer> weights) {
        Map<String, Integer> given = new HashMap<>();
        weights.forEach((system, weight) -> {
            if (weight != null) {
                given.put(system, weight);
            }
        });
        return new WeightedStrategy(Map.copyOf(given));
    }

    private static ConflictResolution resolve(FieldConflict conflict, Map<String, Integer> weights) {
        int source = weights.getOrDefault(conflict.sourceSystem(), 0);
        int target = weights.getOrDefault(conflict.targetSystem(), 0);
        if (source == target) {
            return ConflictTies.breakTie(conflict);
        }
        return source > target ? ConflictResolution.SOURCE : ConflictResolution.TARGET;
    }
}
