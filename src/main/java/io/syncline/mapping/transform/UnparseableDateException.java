package io.syncline.mapping.transform;

import java.util.List;

/** The value is not a calendar date in ISO-8601 or any of the declared formats. */
public class UnparseableDateException extends TransformException {

    private final List<String> formatsTried;

    public UnparseableDateException(TransformContext context, Direction direction, Object value,
            List<String> formatsTried) {
        super(context, direction, value, "is not a date in any of the formats tried: "
                + String.join(", ", formatsTried), null);
        this.formatsTried = List.copyOf(formatsTried);
    }

    public List<String> formatsTried() {
        return formatsTried;
    }
}
