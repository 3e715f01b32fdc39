package io.syncline.tombstone;

/**
 * How personal data that Syncline reduced in its own tables shows: past its retention (field
 * names and digests) or erased by a privacy request, a value is a JSON object whose first member
 * is {@code retained}. The engine reads it too: such a dead letter is not replayed.
 */
public final class ReducedValues {

    /** How a reduced value begins: such a row is never reduced again, nor replayed. */
    public static final String MARK = "{\"retained\":";

    private ReducedValues() {
    }

    /** Whether {@code text} is a reduced value. */
    public static boolean isReduced(String text) {
        return text != null && text.startsWith(MARK);
    }
}
