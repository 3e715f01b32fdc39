package io.syncline.mapping.transform;

import java.util.Collection;
import java.util.Map;

/**
 * {@code constant}: the declared value in both directions, whatever the input, e.g.
 * {@code {constant: syncline}} to stamp the source on every record.
 */
final class ConstantTransform implements FieldTransform {

    static final String NAME = "constant";

    private final Object constant;

    private ConstantTransform(Object constant) {
        this.constant = constant;
    }

    static ConstantTransform create(Object parameters) {
        if (parameters == null || parameters instanceof Map || parameters instanceof Collection) {
            String problem = parameters == null ? "the value is missing"
                    : "the value must be a single value, not '" + parameters + "'";
            throw new InvalidTransformSpecException(NAME, problem,
                    "write the value after the name, e.g. {constant: syncline}");
        }
        return new ConstantTransform(parameters);
    }

    @Override
    public Object toCanonical(Object value, TransformContext context) {
        return constant;
    }

    @Override
    public Object toSystem(Object value, TransformContext context) {
        return constant;
    }
}
