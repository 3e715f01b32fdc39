package io.syncline.conflict;

/** The system being written to keeps its value: a local edit there is never replaced by a conflicting change. */
public final class TargetWinsStrategy implements ConflictStrategy {

    public static final String NAME = "target-wins";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ConflictResolution resolve(FieldConflict conflict) {
        return ConflictResolution.TARGET;
    }
}
