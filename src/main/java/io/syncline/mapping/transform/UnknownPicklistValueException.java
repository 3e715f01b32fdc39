package io.syncline.mapping.transform;

import java.util.List;

/** The value is not one the picklist declares, and the picklist has no default for it. */
public class UnknownPicklistValueException extends TransformException {

    private final List<String> allowedValues;

    public UnknownPicklistValueException(TransformContext context, Direction direction, Object value,
            List<String> allowedValues) {
        super(context, direction, value, "is not in the picklist; allowed values: "
                + String.join(", ", allowedValues), null);
        this.allowedValues = List.copyOf(allowedValues);
    }

    /** The values accepted in the direction that failed (system values, or canonical values). */
    public List<String> allowedValues() {
        return allowedValues;
    }
}
