package io.syncline.mapping.transform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;

import static io.syncline.mapping.transform.Transforms.toCanonical;
import static io.syncline.mapping.transform.Transforms.toSystem;
import static io.syncline.mapping.transform.Transforms.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BooleanTransformTest {

    private final FieldTransform flag = transform("boolean", null);

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "yes", "Y", "1", "on", " On "})
    void trueWords(String written) {
        assertThat(toCanonical(flag, written)).isEqualTo(Boolean.TRUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "False", "no", "n", "0", "OFF"})
    void falseWords(String written) {
        assertThat(toCanonical(flag, written)).isEqualTo(Boolean.FALSE);
    }

    @Test
    void booleansAndNumbersOneAndZero() {
        assertThat(toCanonical(flag, true)).isEqualTo(true);
        assertThat(toCanonical(flag, 1)).isEqualTo(true);
        assertThat(toCanonical(flag, 0L)).isEqualTo(false);
        assertThat(toCanonical(flag, new BigDecimal("1.00"))).isEqualTo(true);
        assertThat(toCanonical(flag, "")).isNull();
        assertThat(toCanonical(flag, null)).isNull();
        assertThat(toSystem(flag, false)).isEqualTo(false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"maybe", "2", "t", "yes please", "-1"})
    void anythingElseIsRefused(String written) {
        assertThatThrownBy(() -> flag.toCanonical(written, Transforms.context("optIn")))
                .isInstanceOfSatisfying(TypeCoercionException.class, e -> {
                    assertThat(e.value()).isEqualTo(written);
                    assertThat(e).hasMessage("contact.optIn from crm: '" + written + "' cannot be read as a boolean"
                            + " (use true/false, yes/no, y/n, 1/0 or on/off)");
                });
    }

    @Test
    void otherNumbersAreRefused() {
        assertThatThrownBy(() -> toCanonical(flag, 2)).isInstanceOf(TypeCoercionException.class);
        assertThatThrownBy(() -> toCanonical(flag, Double.NaN)).isInstanceOf(TypeCoercionException.class);
    }
}
