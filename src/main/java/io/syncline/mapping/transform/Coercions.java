package io.syncline.mapping.transform;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Reading loosely typed system values (text, any {@code Number}) as exact Java values. */
final class Coercions {

    private Coercions() {
    }

    /** The value as text, or a {@link TypeCoercionException} telling the integrator to convert it first. */
    static String text(Object value, TransformContext context, Direction direction, String transform) {
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        throw new TypeCoercionException(context, direction, value, "text",
                "type " + value.getClass().getSimpleName() + "; put string before " + transform);
    }

    /**
     * The exact decimal value of a number. Doubles go through their shortest decimal form
     * ({@code 0.1} is 0.1, not 0.1000000000000000055...), which is what the sending system meant.
     *
     * @throws NumberFormatException for NaN and infinities, which have no decimal value
     */
    static BigDecimal decimal(Number number) {
        if (number instanceof BigDecimal decimal) {
            return decimal;
        }
        if (number instanceof BigInteger integer) {
            return new BigDecimal(integer);
        }
        if (number instanceof Long || number instanceof Integer || number instanceof Short || number instanceof Byte) {
            return BigDecimal.valueOf(number.longValue());
        }
        if (number instanceof Double || number instanceof Float) {
            // Float.toString keeps a float's own shortest form; widening to double first would not.
            String shortest = number instanceof Float f ? Float.toString(f) : Double.toString(number.doubleValue());
            return new BigDecimal(shortest);
        }
        return new BigDecimal(number.toString());
    }

    /**
     * The exact decimal value of a number or numeric text; {@code null} when the value is
     * neither (the caller says what was expected).
     */
    /**
     * The number a system value stands for, on the way in: null for blank text, else a
     * {@link TypeCoercionException} saying what was {@code expected} when it is no number.
     */
    static BigDecimal numberOrBlank(Object value, TransformContext context, String expected) {
        if (value instanceof CharSequence text && text.toString().isBlank()) {
            return null;
        }
        BigDecimal number = decimalOrNull(value);
        if (number == null) {
            throw new TypeCoercionException(context, Direction.TO_CANONICAL, value, expected, "not a number");
        }
        return number;
    }

    static BigDecimal decimalOrNull(Object value) {
        try {
            if (value instanceof Number number) {
                return decimal(number);
            }
            if (value instanceof CharSequence text) {
                return new BigDecimal(text.toString().strip());
            }
        } catch (NumberFormatException notANumber) {
            return null;
        }
        return null;
    }
}
