package io.syncline.conflict;

/** A person decides: the whole change is held in the review queue with both values of each conflicting field. */
public final class ReviewStrategy implements ConflictStrategy {

    public static final String NAME = "review";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ConflictResolution resolve(FieldConflict conflict) {
        return ConflictResolution.REVIEW;
    }
}
