package io.syncline.webhook;

/**
 * The two ids the inbox stores with an event, checked before it stores them: the source's record
 * id (column {@code inbox.record_key}, and later {@code id_map.system_id} and the record state)
 * and the sender's event id ({@code inbox.event_id}), each at most {@value #MAX_LENGTH}
 * characters, which every provider's ids fit (Salesforce 18, Stripe about 30, UUIDs 36).
 */
public final class IntakeIds {

    /** The width of the columns the ids go into ({@code VARCHAR(200)}). */
    public static final int MAX_LENGTH = 200;

    private IntakeIds() {
    }

    /**
     * The record id as the inbox stores it: text or a whole number, at most {@value #MAX_LENGTH}
     * characters; an object, array, boolean or fraction is no record id.
     *
     * @param field where the contract reads the id ({@code id}, {@code data.object.id})
     */
    public static String recordKey(Object value, String field) {
        if (value == null) {
            return null;
        }
        String key;
        if (value instanceof String text) {
            key = text;
        } else if (value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger) {
            key = value.toString();
        } else {
            throw new InvalidFieldException("invalid_type", field, "The record id " + field + " must be a string or a"
                    + " whole number, but was " + typeOf(value));
        }
        if (key.length() > MAX_LENGTH) {
            throw tooLong("record id " + field, field, key);
        }
        return key;
    }

    /**
     * An event id read from the body (HubSpot's numeric {@code eventId}, Stripe's {@code evt_…}): text
     * or a whole number, then checked as {@link #eventId(String, String)}.
     */
    public static String eventId(Object value, String field) {
        if (value == null || value instanceof String) {
            return eventId((String) value, field);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger) {
            return eventId(value.toString(), field);
        }
        throw new InvalidFieldException("invalid_type", field, "The event id " + field + " must be a string or a"
                + " whole number, but was " + typeOf(value));
    }

    /** The sender's event id ({@code X-Event-Id} or the signature scheme's own), checked the same way. */
    public static String eventId(String value, String field) {
        if (value == null) {
            return null;
        }
        if (value.isEmpty()) {
            throw new InvalidFieldException("invalid_value", field, "The event id " + field + " is empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw tooLong("event id " + field, field, value);
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidFieldException("invalid_text", field, "The event id " + field
                        + " contains a control character");
            }
        }
        return value;
    }

    private static InvalidFieldException tooLong(String what, String field, String value) {
        return new InvalidFieldException("value_too_long", field, "The " + what + " has " + value.length()
                + " characters; at most " + MAX_LENGTH + " are accepted");
    }

    private static String typeOf(Object value) {
        if (value instanceof java.util.Map) {
            return "an object";
        }
        if (value instanceof java.util.Collection) {
            return "an array";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return value instanceof Number ? "a fraction (" + value + ")" : value.getClass().getSimpleName();
    }
}
