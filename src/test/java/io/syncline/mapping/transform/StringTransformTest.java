package io.syncline.mapping.transform;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.UUID;

import static io.syncline.mapping.transform.Transforms.toCanonical;
import static io.syncline.mapping.transform.Transforms.toSystem;
import static io.syncline.mapping.transform.Transforms.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StringTransformTest {

    private final FieldTransform string = transform("string", null);

    @Test
    void numbersAreWrittenInPlainNotation() {
        assertThat(toCanonical(string, 1.0E10)).isEqualTo("10000000000");
        assertThat(toCanonical(string, 0.1)).isEqualTo("0.1");
        assertThat(toCanonical(string, 0.1f)).isEqualTo("0.1");
        assertThat(toCanonical(string, new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(toCanonical(string, 42)).isEqualTo("42");
        assertThat(toCanonical(string, new BigInteger("123456789012345678901234567890")))
                .isEqualTo("123456789012345678901234567890");
    }

    @Test
    void textAndSimpleValuesAreKeptAsTheyAre() {
        UUID id = UUID.fromString("3f2b8a52-0000-4000-8000-000000000001");
        assertThat(toCanonical(string, " Ada ")).isEqualTo(" Ada ");
        assertThat(toCanonical(string, true)).isEqualTo("true");
        assertThat(toCanonical(string, 'x')).isEqualTo("x");
        assertThat(toCanonical(string, id)).isEqualTo("3f2b8a52-0000-4000-8000-000000000001");
        assertThat(toCanonical(string, null)).isNull();
        assertThat(toSystem(string, "42")).isEqualTo("42");
    }

    @Test
    void structuresAndNonFiniteNumbersAreRefused() {
        assertThatThrownBy(() -> toCanonical(string, List.of("a")))
                .isInstanceOfSatisfying(TypeCoercionException.class, e -> {
                    assertThat(e.targetType()).isEqualTo("text");
                    assertThat(e).hasMessageStartingWith("contact.value from crm: '[a]' cannot be read as text (type ");
                });
        assertThatThrownBy(() -> toCanonical(string, Double.NaN))
                .isInstanceOfSatisfying(TypeCoercionException.class,
                        e -> assertThat(e).hasMessageContaining("'NaN' cannot be read as text"));
    }
}
