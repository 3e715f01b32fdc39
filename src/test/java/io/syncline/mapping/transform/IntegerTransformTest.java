package io.syncline.mapping.transform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;

import static io.syncline.mapping.transform.Transforms.toCanonical;
import static io.syncline.mapping.transform.Transforms.toSystem;
import static io.syncline.mapping.transform.Transforms.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IntegerTransformTest {

    private final FieldTransform integer = transform("integer", null);

    @Test
    void wholeValuesBecomeLong() {
        assertThat(toCanonical(integer, "42")).isEqualTo(42L);
        assertThat(toCanonical(integer, " -7 ")).isEqualTo(-7L);
        assertThat(toCanonical(integer, "42.0")).isEqualTo(42L);
        assertThat(toCanonical(integer, 42)).isEqualTo(42L);
        assertThat(toCanonical(integer, 42.0)).isEqualTo(42L);
        assertThat(toCanonical(integer, new BigDecimal("42.000"))).isEqualTo(42L);
        assertThat(toCanonical(integer, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(toSystem(integer, 42L)).isEqualTo(42L);
    }

    /** A reference's id, text in the canonical record, goes to a provider whose ids are numbers as one. */
    @Test
    void numericTextIsWrittenAsANumber() {
        assertThat(toSystem(integer, "4711")).isEqualTo(4711L);
        assertThat(toSystem(integer, 42)).isEqualTo(42L);
        assertThat(toSystem(integer, null)).isNull();
        assertThatThrownBy(() -> integer.toSystem("42.5", Transforms.context("seats")))
                .isInstanceOfSatisfying(TypeCoercionException.class, e -> assertThat(e.value()).isEqualTo("42.5"));
    }

    @Test
    void blankAndNullAreNoNumber() {
        assertThat(toCanonical(integer, "")).isNull();
        assertThat(toCanonical(integer, null)).isNull();
    }

    @Test
    void aFractionIsRefusedNotTruncated() {
        assertThatThrownBy(() -> integer.toCanonical(42.5, Transforms.context("seats")))
                .isInstanceOfSatisfying(TypeCoercionException.class, e -> {
                    assertThat(e.value()).isEqualTo(42.5);
                    assertThat(e).hasMessage("contact.seats from crm: '42.5' cannot be read as an integer"
                            + " (it has a fractional part)");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"4x", "forty-two", "1,000", "0x2A"})
    void nonNumbersAreRefused(String written) {
        assertThatThrownBy(() -> integer.toCanonical(written, Transforms.context("seats")))
                .isInstanceOfSatisfying(TypeCoercionException.class, e -> {
                    assertThat(e.value()).isEqualTo(written);
                    assertThat(e).hasMessage("contact.seats from crm: '" + written + "' cannot be read as an integer"
                            + " (not a number)");
                });
    }

    @Test
    void valuesBeyondLongAreRefused() {
        assertThatThrownBy(() -> toCanonical(integer, BigInteger.TWO.pow(64)))
                .isInstanceOfSatisfying(TypeCoercionException.class,
                        e -> assertThat(e.reason()).endsWith("(it is beyond the range of Long)"));
        assertThatThrownBy(() -> toCanonical(integer, true)).isInstanceOf(TypeCoercionException.class);
    }
}
