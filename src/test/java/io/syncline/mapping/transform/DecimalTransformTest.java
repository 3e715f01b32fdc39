package io.syncline.mapping.transform;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static io.syncline.mapping.transform.Transforms.toCanonical;
import static io.syncline.mapping.transform.Transforms.toSystem;
import static io.syncline.mapping.transform.Transforms.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecimalTransformTest {

    private final FieldTransform amount = transform("decimal", Map.of("scale", 2));

    @Test
    void valuesGetExactlyTheDeclaredScale() {
        assertThat(toCanonical(amount, "10.5")).isEqualTo(new BigDecimal("10.50"));
        assertThat(toCanonical(amount, 10)).isEqualTo(new BigDecimal("10.00"));
        assertThat(toCanonical(amount, 0.1)).isEqualTo(new BigDecimal("0.10"));
        assertThat(toCanonical(amount, " -3.1 ")).isEqualTo(new BigDecimal("-3.10"));
        assertThat(toCanonical(amount, "10.5000")).isEqualTo(new BigDecimal("10.50"));
        assertThat(toCanonical(amount, "1E+2")).isEqualTo(new BigDecimal("100.00"));
        assertThat(toSystem(amount, new BigDecimal("10.50"))).isEqualTo(new BigDecimal("10.50"));
    }

    @Test
    void minorUnitsAreReadAsTheCurrencysAmountAndWrittenBack() {
        FieldTransform cents = transform("decimal", Map.of("scale", 2, "minorUnits", true));
        assertThat(toCanonical(cents, 9999)).isEqualTo(new BigDecimal("99.99"));
        assertThat(toCanonical(cents, "1250000")).isEqualTo(new BigDecimal("12500.00"));
        assertThat(toCanonical(cents, 5)).isEqualTo(new BigDecimal("0.05"));
        assertThat(toSystem(cents, new BigDecimal("99.99"))).isEqualTo(9999L);
        assertThat(toSystem(cents, new BigDecimal("12500"))).isEqualTo(1250000L);
        assertThatThrownBy(() -> toCanonical(cents, "99.5")).isInstanceOf(PrecisionLossException.class);
        assertThatThrownBy(() -> toSystem(cents, new BigDecimal("0.001"))).isInstanceOf(PrecisionLossException.class);
    }

    @Test
    void negateReadsAndWritesTheOppositeSign() {
        FieldTransform bank = transform("decimal", Map.of("scale", 2, "negate", true));
        assertThat(toCanonical(bank, "-1250.5")).isEqualTo(new BigDecimal("1250.50"));
        assertThat(toCanonical(bank, 4.33)).isEqualTo(new BigDecimal("-4.33"));
        assertThat(toCanonical(bank, " ")).isNull();
        assertThat(toSystem(bank, new BigDecimal("1250.50"))).isEqualTo(new BigDecimal("-1250.50"));
        FieldTransform cents = transform("decimal", Map.of("scale", 2, "minorUnits", true, "negate", true));
        assertThat(toCanonical(cents, 9999)).isEqualTo(new BigDecimal("-99.99"));
        assertThat(toSystem(cents, new BigDecimal("-99.99"))).isEqualTo(9999L);
        assertThatThrownBy(() -> toCanonical(bank, "-10.555")).isInstanceOf(PrecisionLossException.class);
    }

    @Test
    void scaleZeroIsWholeNumbers() {
        assertThat(toCanonical(transform("decimal", Map.of("scale", 0)), "7.0")).isEqualTo(new BigDecimal("7"));
    }

    @Test
    void blankAndNullAreNoNumber() {
        assertThat(toCanonical(amount, " ")).isNull();
        assertThat(toCanonical(amount, null)).isNull();
    }

    @Test
    void moreDecimalPlacesAreRefusedNeverRounded() {
        assertThatThrownBy(() -> amount.toCanonical(10.555, Transforms.context("total")))
                .isInstanceOfSatisfying(PrecisionLossException.class, e -> {
                    assertThat(e.value()).isEqualTo(10.555);
                    assertThat(e.scale()).isEqualTo(2);
                    assertThat(e).hasMessage("contact.total from crm: '10.555' has more than 2 decimal places"
                            + " and would lose precision at scale 2");
                });
        assertThatThrownBy(() -> toCanonical(amount, "0.001")).isInstanceOf(PrecisionLossException.class);
    }

    @Test
    void nonNumbersAreRefused() {
        assertThatThrownBy(() -> toCanonical(amount, "12,50"))
                .isInstanceOfSatisfying(TypeCoercionException.class, e -> {
                    assertThat(e.targetType()).isEqualTo("a decimal");
                    assertThat(e).hasMessage(
                            "contact.value from crm: '12,50' cannot be read as a decimal (not a number)");
                });
        assertThatThrownBy(() -> toCanonical(amount, Double.POSITIVE_INFINITY))
                .isInstanceOf(TypeCoercionException.class);
    }

    @Test
    void aMissingScaleIsASpecError() {
        assertThatThrownBy(() -> transform("decimal", null))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class, e -> {
                    assertThat(e.problem()).isEqualTo("parameter 'scale' is missing");
                    assertThat(e.fix()).isEqualTo("declare the number of decimal places, e.g. {decimal: {scale: 2}}");
                });
    }

    @Test
    void aNegativeScaleIsASpecError() {
        assertThatThrownBy(() -> transform("decimal", Map.of("scale", -1)))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class, e -> {
                    assertThat(e.problem()).isEqualTo("scale -1 is negative");
                    assertThat(e.fix()).isEqualTo("use the number of decimal places, 0 or more (0 for whole numbers),"
                            + " e.g. {decimal: {scale: 2}}");
                });
    }

    @Test
    void aFractionalOrTextScaleIsASpecError() {
        assertThatThrownBy(() -> transform("decimal", Map.of("scale", 2.5)))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class,
                        e -> assertThat(e.problem()).isEqualTo("parameter 'scale' must be a whole number, not '2.5'"));
        assertThatThrownBy(() -> transform("decimal", Map.of("scale", "two")))
                .isInstanceOf(InvalidTransformSpecException.class);
    }
}
