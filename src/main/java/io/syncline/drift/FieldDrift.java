package io.syncline.drift;

import java.time.Instant;

/**
 * A field a mapping needs that its source stopped sending ({@code missing}) or now sends with a
 * value of another JSON type ({@code type}): while {@code paused}, every event of the mapping
 * (entity from system) waits in the inbox. {@code renamed}: an admin accepted that the source now
 * sends it as {@code renamedTo}, which the transformer stage reads in its place; {@code resumed}:
 * an admin resumed the mapping as it is (the model was changed, or the field's absence accepted).
 */
public record FieldDrift(long id, String entity, String system, String field, String path, String change,
        String wasType, String nowType, String status, Instant detectedAt, String renamedTo, String resolvedBy,
        Instant resolvedAt) {

    public static final String MISSING = "missing";
    public static final String TYPE = "type";
    public static final String PAUSED = "paused";
    public static final String RENAMED = "renamed";
    public static final String RESUMED = "resumed";

    public boolean paused() {
        return PAUSED.equals(status);
    }

    /** What changed, in words: the inbox keeps it as the reason its events wait. */
    public String describe() {
        return "field " + field + " (" + path + ") of " + entity + " from " + system
                + (MISSING.equals(change) ? " is missing" : " changed type from " + wasType + " to " + nowType);
    }
}
