package io.syncline.mapping.transform;

/**
 * A value a transform cannot accept. The message names the field, the system, the offending
 * value and the reason, e.g. {@code contact.phone from crm: '12ab' is not a phone number (region GB)}.
 * Each failure kind is its own subclass, so callers can route them without parsing messages.
 */
public abstract class TransformException extends RuntimeException {

    /** Long values are cut in messages: a whole document pasted into a field should not flood the log. */
    private static final int MAX_SHOWN_LENGTH = 100;

    private final transient TransformContext context;
    private final Direction direction;
    private final transient Object value;
    private final String reason;

    protected TransformException(TransformContext context, Direction direction, Object value, String reason,
            Throwable cause) {
        super(where(context, direction) + ": " + shown(value) + " " + reason, cause);
        this.context = context;
        this.direction = direction;
        this.value = value;
        this.reason = reason;
    }

    /**
     * The message without the offending value, for a sensitive field's (docs/privacy.md, "Sensitive
     * fields"): {@code employee.ssn from hr: the value is not a number}.
     */
    public String messageWithoutValue() {
        return where(context, direction) + ": the value " + reason;
    }

    /** The field as the context names it, e.g. {@code phone}. */
    public String field() {
        return context.field();
    }

    public String entity() {
        return context.entity();
    }

    public String system() {
        return context.system();
    }

    public Direction direction() {
        return direction;
    }

    /** The value as received by the transform. */
    public Object value() {
        return value;
    }

    /** Why the value was refused, e.g. {@code is not a phone number (region GB)}. */
    public String reason() {
        return reason;
    }

    private static String where(TransformContext context, Direction direction) {
        String field = context.entity() == null ? context.field() : context.entity() + "." + context.field();
        return field + " " + direction.preposition() + " " + context.system();
    }

    private static String shown(Object value) {
        String text = String.valueOf(value);
        if (text.length() > MAX_SHOWN_LENGTH) {
            text = text.substring(0, MAX_SHOWN_LENGTH) + "…(" + text.length() + " characters)";
        }
        return "'" + text + "'";
    }
}
