package io.syncline.conflict;

/**
 * The earlier change wins, by the systems' own modification times: whoever changed the field
 * first keeps it, and a later edit elsewhere does not replace it. A tie goes to the field's master.
 */
public final class FirstWriteWinsStrategy extends ModificationTimeStrategy {

    public static final String NAME = "first-write-wins";

    public FirstWriteWinsStrategy() {
        super(NAME, false);
    }
}
