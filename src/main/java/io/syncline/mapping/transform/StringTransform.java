package io.syncline.mapping.transform;

import java.util.UUID;

/**
 * {@code string}: a value as text. Numbers are written in plain decimal notation
 * ({@code 10000000000}, never {@code 1.0E10}); maps, lists and other objects are refused because
 * their {@code toString()} is not data.
 */
final class StringTransform extends NormalisingTransform {

    @Override
    protected Object normalise(Object value, TransformContext context) {
        if (value instanceof Number number) {
            try {
                return Coercions.decimal(number).toPlainString();
            } catch (NumberFormatException notFinite) {
                throw new TypeCoercionException(context, Direction.TO_CANONICAL, value, "text",
                        "NaN and infinity are not numbers any system stores");
            }
        }
        if (value instanceof CharSequence || value instanceof Boolean || value instanceof Character
                || value instanceof UUID || value instanceof Enum) {
            return value.toString();
        }
        throw new TypeCoercionException(context, Direction.TO_CANONICAL, value, "text",
                "type " + value.getClass().getSimpleName() + "; only text, numbers, booleans, UUIDs and enums convert");
    }
}
