package io.syncline.mapping.transform;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;

/**
 * {@code boolean}: {@code true/false}, {@code yes/no}, {@code y/n}, {@code 1/0} and {@code on/off}
 * in any case, as text or numbers. Anything else is refused rather than read as false, so that a
 * {@code "maybe"} from a form does not silently unsubscribe someone. Blank text becomes {@code null}.
 */
final class BooleanTransform extends NormalisingTransform {

    private static final Map<String, Boolean> WORDS = Map.of(
            "true", true, "yes", true, "y", true, "1", true, "on", true,
            "false", false, "no", false, "n", false, "0", false, "off", false);

    @Override
    protected Object normalise(Object value, TransformContext context) {
        if (value instanceof Boolean flag) {
            return flag;
        }
        String word = word(value);
        if (word != null && word.isEmpty()) {
            return null;
        }
        Boolean flag = word == null ? null : WORDS.get(word);
        if (flag == null) {
            throw new TypeCoercionException(context, Direction.TO_CANONICAL, value, "a boolean",
                    "use true/false, yes/no, y/n, 1/0 or on/off");
        }
        return flag;
    }

    /** Text trimmed and lower-case, a number in plain notation ({@code 1.0} is {@code 1}); else null. */
    private static String word(Object value) {
        if (value instanceof CharSequence text) {
            return text.toString().strip().toLowerCase(Locale.ROOT);
        }
        BigDecimal number = value instanceof Number ? Coercions.decimalOrNull(value) : null;
        return number == null ? null : number.stripTrailingZeros().toPlainString();
    }
}
