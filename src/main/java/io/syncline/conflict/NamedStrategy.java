package io.syncline.conflict;

import java.util.function.Function;

/** A built-in strategy: its name in the model and its rule, given by its subclass. */
abstract class NamedStrategy implements ConflictStrategy {

    private final String name;
    private final Function<FieldConflict, ConflictResolution> rule;

    NamedStrategy(String name, Function<FieldConflict, ConflictResolution> rule) {
        this.name = name;
        this.rule = rule;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final ConflictResolution resolve(FieldConflict conflict) {
        return rule.apply(conflict);
    }
}
