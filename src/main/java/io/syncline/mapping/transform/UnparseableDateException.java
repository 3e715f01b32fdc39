package io.syncline.mapping.transform;

import java.util.List;

/** The value is not a calendar date in ISO-8601 or any of the declared formats. */
public class UnparseableDateException extends UnparseableTemporalException {

    public UnparseableDateException(TransformContext context, Direction direction, Object value, List<String> formatsTried) {
        super(context, direction, value, "a date", formatsTried);
    }
}
