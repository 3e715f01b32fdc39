package io.syncline.mapping.transform;

import java.util.List;

/** The value is not a date or time in ISO-8601 or any of the declared formats; the message lists the formats tried. */
public abstract class UnparseableTemporalException extends TransformException {

    private final List<String> formatsTried;

    /** @param what what the value is not, e.g. {@code a date} */
    protected UnparseableTemporalException(TransformContext context, Direction direction, Object value, String what,
            List<String> formatsTried) {
        super(context, direction, value, "is not " + what + " in any of the formats tried: " + String.join(", ", formatsTried),
                null);
        this.formatsTried = List.copyOf(formatsTried);
    }

    public List<String> formatsTried() {
        return formatsTried;
    }
}
