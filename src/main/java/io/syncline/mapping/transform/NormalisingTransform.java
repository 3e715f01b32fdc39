package io.syncline.mapping.transform;

/**
 * A transform that only normalises: system values are brought to canonical form, and canonical
 * values go back to systems unchanged because they are already in a form every system accepts
 * (text transforms override this: on a target's mapping they shape what the target receives).
 * {@code null} stays {@code null}.
 */
abstract class NormalisingTransform implements FieldTransform {

    @Override
    public final Object toCanonical(Object value, TransformContext context) {
        return value == null ? null : normalise(value, context);
    }

    @Override
    public Object toSystem(Object value, TransformContext context) {
        return value;
    }

    /** The canonical form of a non-null system value. */
    protected abstract Object normalise(Object value, TransformContext context);
}
