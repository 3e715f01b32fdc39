package io.syncline.conflict;

import io.syncline.model.ByName;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** The conflict strategies by the names integrators write in the model. */
public final class ConflictStrategies {

    private static final ConflictStrategies BUILT_IN = of(List.of(new MasterAlwaysWinsStrategy(),
            new LastWriteWinsStrategy(), new FirstWriteWinsStrategy(), new TargetWinsStrategy(),
            new FieldLevelMergeStrategy(), new ReviewStrategy(), new WeightedStrategy(), new MostCompleteStrategy()));

    private final Map<String, ConflictStrategy> byName;

    private ConflictStrategies(Map<String, ConflictStrategy> byName) {
        this.byName = byName;
    }

    /** The eight strategies Syncline ships. */
    public static ConflictStrategies builtIn() {
        return BUILT_IN;
    }

    /** @throws IllegalArgumentException when two strategies share a name */
    public static ConflictStrategies of(Collection<? extends ConflictStrategy> strategies) {
        return new ConflictStrategies(ByName.unique(strategies, ConflictStrategy::name, "conflict strategies"));
    }

    public Optional<ConflictStrategy> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    public ConflictStrategy defaultStrategy() {
        return byName.get(MasterAlwaysWinsStrategy.NAME);
    }

    public SortedSet<String> names() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(byName.keySet()));
    }
}
