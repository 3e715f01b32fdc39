package io.syncline.mapping.transform;

import java.math.BigDecimal;

/**
 * {@code integer}: a whole number as {@code Long}. Accepts numbers and numeric text whose value is
 * whole ({@code 42}, {@code 42.0}, {@code "42"}); a fractional part or a value beyond the range of
 * {@code Long} is refused, never truncated. Blank text is no number and becomes {@code null}.
 */
final class IntegerTransform extends NormalisingTransform {

    @Override
    protected Object normalise(Object value, TransformContext context) {
        BigDecimal number = Coercions.numberOrBlank(value, context, "an integer");
        if (number == null) {
            return null;
        }
        try {
            return number.longValueExact();
        } catch (ArithmeticException notWhole) {
            String detail = number.stripTrailingZeros().scale() > 0
                    ? "it has a fractional part" : "it is beyond the range of Long";
            throw new TypeCoercionException(context, Direction.TO_CANONICAL, value, "an integer", detail);
        }
    }
}
