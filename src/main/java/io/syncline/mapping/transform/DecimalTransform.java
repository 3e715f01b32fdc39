package io.syncline.mapping.transform;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Set;

/**
 * {@code decimal}: a {@code BigDecimal} with exactly the declared {@code scale}. Fewer decimal
 * places are padded ({@code 10.5} at scale 2 is {@code 10.50}); more are refused with a
 * {@link PrecisionLossException} unless they are zeros. Never rounds: a rounded amount is money
 * or stock that silently changed. Blank text is no number and becomes {@code null}.
 * <p>
 * With {@code minorUnits: true} the system counts in the currency's smallest unit (Stripe's cents:
 * {@code 9999} is {@code 99.99} at scale 2): a whole number is read with the point moved left by the
 * scale, and the canonical value is written back as that whole number; a fraction of a minor unit is
 * refused as above.
 * <p>
 * With {@code negate: true} the system counts with the opposite sign (Plaid: money out of the account
 * positive, money in negative): the value changes sign on the way in and back on the way out, so a
 * bank's deposit compares with the payment it is.
 */
final class DecimalTransform extends NormalisingTransform {

    static final String NAME = "decimal";
    private static final String EXAMPLE = "{decimal: {scale: 2}}";

    private final int scale;
    private final boolean minorUnits;
    private final boolean negate;

    private DecimalTransform(int scale, boolean minorUnits, boolean negate) {
        this.scale = scale;
        this.minorUnits = minorUnits;
        this.negate = negate;
    }

    static DecimalTransform create(Object parameters) {
        TransformParameters params = TransformParameters.read(NAME, parameters, EXAMPLE, Set.of("scale", "minorUnits", "negate"));
        int scale = params.requiredWholeNumber("scale", "declare the number of decimal places");
        if (scale < 0) {
            throw params.invalid("scale " + scale + " is negative",
                    "use the number of decimal places, 0 or more (0 for whole numbers), e.g. " + EXAMPLE);
        }
        return new DecimalTransform(scale, params.optionalBoolean("minorUnits", false), params.optionalBoolean("negate", false));
    }

    @Override
    protected Object normalise(Object value, TransformContext context) {
        BigDecimal number = Coercions.numberOrBlank(value, context, "a decimal");
        if (number == null) {
            return null;
        }
        if (negate) {
            number = number.negate();
        }
        try {
            if (minorUnits) {
                return number.setScale(0, RoundingMode.UNNECESSARY).movePointLeft(scale).setScale(scale, RoundingMode.UNNECESSARY);
            }
            return number.setScale(scale, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException wouldRound) {
            throw new PrecisionLossException(context, Direction.TO_CANONICAL, value, minorUnits ? 0 : scale);
        }
    }

    @Override
    public Object toSystem(Object value, TransformContext context) {
        if (!minorUnits && !negate || value == null) {
            return value;
        }
        BigDecimal number = Coercions.numberOrBlank(value, context, "a decimal");
        if (number != null && negate) {
            number = number.negate();
        }
        if (!minorUnits) {
            return number;
        }
        try {
            return number == null ? null : number.movePointRight(scale).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
        } catch (ArithmeticException wouldRound) {
            throw new PrecisionLossException(context, Direction.TO_SYSTEM, value, scale);
        }
    }
}
