package io.syncline.conflict;

/**
 * Each field belongs to its master (its owner under {@code owners}, else the entity's master),
 * and only the master decides it: a conflict between the master and another system goes to
 * the master; one between two systems neither of which is the field's master goes to review,
 * since neither has the authority. (Changes to different fields always merge, whatever the
 * strategy.)
 */
public final class FieldLevelMergeStrategy extends NamedStrategy {

    public static final String NAME = "field-level-merge";

    public FieldLevelMergeStrategy() {
        super(NAME, conflict -> conflict.masterSide(ConflictResolution.REVIEW));
    }
}
