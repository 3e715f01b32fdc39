package io.syncline.conflict;

/** The later change wins, by the systems' own modification times; a tie goes to the field's master. */
public final class LastWriteWinsStrategy extends ModificationTimeStrategy {

    public static final String NAME = "last-write-wins";

    public LastWriteWinsStrategy() {
        super(NAME, true);
    }
}
