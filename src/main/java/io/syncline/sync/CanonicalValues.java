package io.syncline.sync;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Equality of canonical values whichever way they were read: from a transformer (BigDecimal,
 * Long) or back from JSON in the state store (Double, Integer). Numbers compare by value.
 */
public final class CanonicalValues {

    private CanonicalValues() {
    }

    public static boolean same(Object a, Object b) {
        return Objects.equals(comparable(a), comparable(b));
    }

    /** A form in which equal values are equal objects: numbers as plain decimal text. */
    public static Object comparable(Object value) {
        if (value instanceof Number number && !(value instanceof BigDecimal)) {
            value = new BigDecimal(number.toString());
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.stripTrailingZeros().toPlainString();
        }
        return value;
    }
}
