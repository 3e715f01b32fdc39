package io.syncline.reconcile;

import io.syncline.mapping.CanonicalInstants;
import io.syncline.mapping.CanonicalValues;
import io.syncline.model.CanonicalField;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/**
 * Canonical values in the one form both sides are compared in. A field contract without
 * transforms passes a JDBC value through as the driver typed it (a {@code Timestamp}, a
 * {@code java.sql.Date}); the canonical record of a REST source holds ISO text. This is the
 * reading counterpart of the JDBC writer binding canonical values by type.
 */
final class ComparableValues {

    private ComparableValues() {
    }

    static Object normalise(Object value, CanonicalField.Type type) {
        if (value == null || type == null) {
            return value;
        }
        return switch (type) {
            case TIMESTAMP -> instant(value);
            case DATE -> date(value);
            case DECIMAL -> value instanceof Number number ? new BigDecimal(number.toString()).stripTrailingZeros().toPlainString() : value;
            case INTEGER -> value instanceof Number number && !(value instanceof BigDecimal) ? number.longValue() : value;
            // a document's lines: their numbers by value at every level, as 2.00 from one side and 2 from a json column
            case LIST -> CanonicalValues.comparable(value);
            default -> value;
        };
    }

    /** A timestamp value as an Instant, or null when it is not one. */
    static Instant toInstant(Object value) {
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof ZonedDateTime zoned) {
            return zoned.toInstant();
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.util.Date date) {
            return Instant.ofEpochMilli(date.getTime());
        }
        if (value instanceof String text) {
            Instant canonical = CanonicalInstants.read(text);
            if (canonical != null) {
                return canonical;
            }
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * A timestamp value in its compared form, given the instant {@link #toInstant} read from it:
     * the instant's ISO text, or the value unchanged when it is no timestamp.
     */
    static Object timestamp(Object value, Instant instant) {
        if (instant == null) {
            return value;
        }
        // Text already in the form Instant.toString writes (whole seconds) is its own compared form.
        return value instanceof String text && text.length() == 20 && instant.getNano() == 0 && CanonicalInstants.read(text) != null
                ? text : CanonicalInstants.text(instant);
    }

    private static Object instant(Object value) {
        return timestamp(value, toInstant(value));
    }

    private static Object date(Object value) {
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate().toString();
        }
        if (value instanceof LocalDate date) {
            return date.toString();
        }
        return value;
    }
}
