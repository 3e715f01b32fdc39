package io.syncline.mapping.transform;

import java.util.List;

/** The value is not a timestamp in ISO-8601 or any of the declared formats. */
public class UnparseableTimestampException extends UnparseableTemporalException {

    public UnparseableTimestampException(TransformContext context, Direction direction, Object value, List<String> formatsTried) {
        super(context, direction, value, "a timestamp", formatsTried);
    }
}
