package io.syncline.mapping.transform;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Set;

/**
 * {@code decimal}: a {@code BigDecimal} with exactly the declared {@code scale}. Fewer decimal
 * places are padded ({@code 10.5} at scale 2 is {@code 10.50}); more are refused with a
 * {@link PrecisionLossException} unless they are zeros. Never rounds: a rounded amount is money
 * or stock that silently changed. Blank text is no number and becomes {@code null}.
 */
final class DecimalTransform extends NormalisingTransform {

    static final String NAME = "decimal";
    private static final String EXAMPLE = "{decimal: {scale: 2}}";

    private final int scale;

    private DecimalTransform(int scale) {
        this.scale = scale;
    }

    static DecimalTransform create(Object parameters) {
        TransformParameters params = TransformParameters.read(NAME, parameters, EXAMPLE, Set.of("scale"));
        int scale = params.requiredWholeNumber("scale", "declare the number of decimal places");
        if (scale < 0) {
            throw params.invalid("scale " + scale + " is negative",
                    "use the number of decimal places, 0 or more (0 for whole numbers), e.g. " + EXAMPLE);
        }
        return new DecimalTransform(scale);
    }

    @Override
    protected Object normalise(Object value, TransformContext context) {
        BigDecimal number = Coercions.numberOrBlank(value, context, "a decimal");
        if (number == null) {
            return null;
        }
        try {
            return number.setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException wouldRound) {
            throw new PrecisionLossException(context, Direction.TO_CANONICAL, value, scale);
        }
    }
}
