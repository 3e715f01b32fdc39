package io.syncline.mapping;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Equality of canonical values whichever way they were read: from a transformer (BigDecimal,
 * Long) or back from JSON in the state store (Double, Integer). Numbers compare by value.
 */
public final class CanonicalValues {

    /** ISO-8601 with an offset without its colon, as Salesforce writes its datetimes (2024-03-01T09:30:00.000+0000). */
    private static final DateTimeFormatter COMPACT_OFFSET = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T').append(DateTimeFormatter.ISO_LOCAL_TIME)
            .appendOffset("+HHMM", "Z").toFormatter();

    private CanonicalValues() {
    }

    public static boolean same(Object a, Object b) {
        return Objects.equals(comparable(a), comparable(b));
    }

    /**
     * A form in which equal values are equal objects: numbers as plain decimal text, at every level
     * of a list of values or of child records (an invoice's lines), whose order is kept.
     */
    public static Object comparable(Object value) {
        if (value instanceof List<?> list) {
            List<Object> each = new ArrayList<>(list.size());
            list.forEach(element -> each.add(comparable(element)));
            return each;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> each = new HashMap<>();
            map.forEach((key, element) -> each.put(key, comparable(element)));
            return each;
        }
        if (value instanceof Number number && !(value instanceof BigDecimal)) {
            value = new BigDecimal(number.toString());
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.stripTrailingZeros().toPlainString();
        }
        return value;
    }

    /**
     * A canonical timestamp (ISO-8601 with offset, as the {@code timestamp} transform writes it, or
     * with a {@code +hhmm} offset) as an instant; null when there is none or it is not one.
     */
    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        Instant canonical = CanonicalInstants.read(value.toString());
        if (canonical != null) {
            return canonical;
        }
        try {
            return OffsetDateTime.parse(value.toString(), DateTimeFormatter.ISO_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(value.toString(), COMPACT_OFFSET).toInstant();
            } catch (DateTimeParseException compact) {
                return null;
            }
        }
    }
}
