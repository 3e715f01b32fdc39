package io.syncline.mapping.transform;

/** The value cannot be read as the type the transform produces (integer, decimal, boolean, text, ...). */
public class TypeCoercionException extends TransformException {

    private final String targetType;

    public TypeCoercionException(TransformContext context, Direction direction, Object value, String targetType,
            String detail) {
        super(context, direction, value, "cannot be read as " + targetType
                + (detail == null ? "" : " (" + detail + ")"), null);
        this.targetType = targetType;
    }

    /** What the value should have been, e.g. {@code an integer}. */
    public String targetType() {
        return targetType;
    }
}
