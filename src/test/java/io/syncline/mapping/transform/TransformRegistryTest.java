package io.syncline.mapping.transform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransformRegistryTest {

    private final TransformRegistry registry = TransformRegistry.builtIn();

    private static final String KNOWN = "known transforms are boolean, constant, date, decimal, email, expression,"
            + " integer, lowercase, phone, picklist, string, timestamp, trim, uppercase";

    @Test
    void namesAreTheBuiltInTransformsSorted() {
        assertThat(registry.names()).containsExactly("boolean", "constant", "date", "decimal", "email", "expression",
                "integer", "lowercase", "phone", "picklist", "string", "timestamp", "trim", "uppercase");
    }

    @Test
    void aTypoSuggestsTheClosestName() {
        assertThatThrownBy(() -> registry.create("phnoe", Map.of("region", "GB")))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class, e -> {
                    assertThat(e.transform()).isEqualTo("phnoe");
                    assertThat(e.problem()).isEqualTo("not a known transform");
                    assertThat(e.fix()).isEqualTo("did you mean 'phone'? " + KNOWN);
                    assertThat(e).hasMessage("phnoe: not a known transform; did you mean 'phone'? " + KNOWN);
                });
        assertThatThrownBy(() -> registry.create("Trim", null))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class,
                        e -> assertThat(e.fix()).startsWith("did you mean 'trim'?"));
    }

    @Test
    void aNameFarFromAllOnlyListsThem() {
        assertThatThrownBy(() -> registry.create("geocode", null))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class,
                        e -> assertThat(e.fix()).isEqualTo("use one of them: " + KNOWN));
        assertThatThrownBy(() -> registry.create(null, null))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class,
                        e -> assertThat(e.fix()).isEqualTo("use one of them: " + KNOWN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"trim", "lowercase", "uppercase", "email", "string", "integer", "boolean"})
    void bareTransformsRefuseParameters(String name) {
        assertThat(registry.create(name, Map.of())).isNotNull();
        assertThatThrownBy(() -> registry.create(name, Map.of("locale", "en")))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class, e -> {
                    assertThat(e.problem()).isEqualTo("takes no parameters, but got '{locale=en}'");
                    assertThat(e.fix()).isEqualTo("write it as a bare name: " + name);
                });
    }

    @Test
    void mapParametersMustBeAMap() {
        assertThatThrownBy(() -> registry.create("phone", "GB"))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class, e -> {
                    assertThat(e.problem()).isEqualTo("parameters must be a map, not 'GB'");
                    assertThat(e.fix()).isEqualTo("write it as {phone: {region: GB}}");
                });
    }

    @Test
    void aRegistryOfOtherFactoriesRefusesTwoWithOneName() {
        TransformFactory shout = new TransformFactory() {

            @Override
            public String name() {
                return "shout";
            }

            @Override
            public FieldTransform create(Object parameters) {
                return TransformRegistry.builtIn().create("uppercase", null);
            }
        };

        assertThat(TransformRegistry.of(List.of(shout)).create("shout", null)
                .toCanonical("hey", Transforms.CRM_CONTACT)).isEqualTo("HEY");
        assertThatThrownBy(() -> TransformRegistry.of(List.of(shout, shout)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Two transform factories are named 'shout'");
    }
}
