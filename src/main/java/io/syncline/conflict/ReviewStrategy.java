package io.syncline.conflict;

/** A person decides: the whole change is held in the review queue with both values of each conflicting field. */
public final class ReviewStrategy extends NamedStrategy {

    public static final String NAME = "review";

    public ReviewStrategy() {
        super(NAME, conflict -> ConflictResolution.REVIEW);
    }
}
