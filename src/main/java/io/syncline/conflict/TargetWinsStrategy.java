package io.syncline.conflict;

/** The system being written to keeps its value: a local edit there is never replaced by a conflicting change. */
public final class TargetWinsStrategy extends NamedStrategy {

    public static final String NAME = "target-wins";

    public TargetWinsStrategy() {
        super(NAME, conflict -> ConflictResolution.TARGET);
    }
}
