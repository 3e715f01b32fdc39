package io.syncline.mapping.transform;

import java.math.BigDecimal;

/**
 * {@code integer}: a whole number as {@code Long}. Accepts numbers and numeric text whose value is
 * whole ({@code 42}, {@code 42.0}, {@code "42"}); a fractional part or a value beyond the range of
 * {@code Long} is refused, never truncated. Blank text is no number and becomes {@code null}. Both
 * ways: on a target's mapping it writes the number the target takes, where the canonical value is
 * text (a reference, whose ids are text, to a provider whose ids are numbers).
 */
final class IntegerTransform extends NormalisingTransform {

    @Override
    protected Object normalise(Object value, TransformContext context) {
        return integer(value, context, Direction.TO_CANONICAL);
    }

    @Override
    public Object toSystem(Object value, TransformContext context) {
        return value == null || value instanceof Long ? value : integer(value, context, Direction.TO_SYSTEM);
    }

    private static Object integer(Object value, TransformContext context, Direction direction) {
        BigDecimal number = Coercions.numberOrBlank(value, context, "an integer");
        if (number == null) {
            return null;
        }
        try {
            return number.longValueExact();
        } catch (ArithmeticException notWhole) {
            String detail = number.stripTrailingZeros().scale() > 0
                    ? "it has a fractional part" : "it is beyond the range of Long";
            throw new TypeCoercionException(context, direction, value, "an integer", detail);
        }
    }
}
