package io.syncline.conflict;

/** What a conflict strategy decides for a field: the incoming value, the target's, or a person. */
public enum ConflictResolution {
    SOURCE, TARGET, REVIEW
}
