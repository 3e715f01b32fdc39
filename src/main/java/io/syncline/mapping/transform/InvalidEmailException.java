package io.syncline.mapping.transform;

/** The value is not an email address of the form {@code local@domain.tld}. */
public class InvalidEmailException extends TransformException {

    public InvalidEmailException(TransformContext context, Direction direction, Object value) {
        super(context, direction, value, "is not an email address (expected local@domain.tld)", null);
    }
}
