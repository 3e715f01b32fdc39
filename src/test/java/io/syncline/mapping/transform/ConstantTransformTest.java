package io.syncline.mapping.transform;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.syncline.mapping.transform.Transforms.toCanonical;
import static io.syncline.mapping.transform.Transforms.toSystem;
import static io.syncline.mapping.transform.Transforms.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConstantTransformTest {

    @Test
    void givesTheValueBothWaysWhateverTheInput() {
        var source = transform("constant", "syncline");

        assertThat(toCanonical(source, null)).isEqualTo("syncline");
        assertThat(toCanonical(source, "hubspot")).isEqualTo("syncline");
        assertThat(toSystem(source, 42)).isEqualTo("syncline");
    }

    @Test
    void keepsTheTypeOfTheDeclaredValue() {
        assertThat(toCanonical(transform("constant", 3), null)).isEqualTo(3);
        assertThat(toCanonical(transform("constant", false), "x")).isEqualTo(false);
    }

    @Test
    void aMissingOrStructuredValueIsASpecError() {
        assertThatThrownBy(() -> transform("constant", null))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class, e -> {
                    assertThat(e.problem()).isEqualTo("the value is missing");
                    assertThat(e.fix()).isEqualTo("write the value after the name, e.g. {constant: syncline}");
                });
        assertThatThrownBy(() -> transform("constant", Map.of("value", "x")))
                .isInstanceOf(InvalidTransformSpecException.class);
        assertThatThrownBy(() -> transform("constant", List.of("x"))).isInstanceOf(InvalidTransformSpecException.class);
    }
}
