package io.syncline.mapping.transform;

/** The value is not a valid phone number for the declared default region. */
public class InvalidPhoneException extends TransformException {

    private final String region;

    public InvalidPhoneException(TransformContext context, Direction direction, Object value, String region,
            String detail, Throwable cause) {
        super(context, direction, value, "is not a phone number (region " + region + ")"
                + (detail == null ? "" : ": " + detail), cause);
        this.region = region;
    }

    /** The default region the value was read against. */
    public String region() {
        return region;
    }
}
