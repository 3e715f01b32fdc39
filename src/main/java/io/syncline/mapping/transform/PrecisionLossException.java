package io.syncline.mapping.transform;

/** The number has more decimal places than the declared scale; it is refused, never rounded. */
public class PrecisionLossException extends TransformException {

    private final int scale;

    public PrecisionLossException(TransformContext context, Direction direction, Object value, int scale) {
        super(context, direction, value, "has more than " + scale + " decimal place" + (scale == 1 ? "" : "s")
                + " and would lose precision at scale " + scale, null);
        this.scale = scale;
    }

    public int scale() {
        return scale;
    }
}
