package io.syncline.mapping.transform;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.syncline.mapping.transform.Transforms.toCanonical;
import static io.syncline.mapping.transform.Transforms.toSystem;
import static io.syncline.mapping.transform.Transforms.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PicklistTransformTest {

    /** Declared order matters for the reverse map, as YAML keeps it. */
    private static Map<Object, Object> ordered(Object... entries) {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < entries.length; i += 2) {
            map.put(entries[i], entries[i + 1]);
        }
        return map;
    }

    private final FieldTransform status = transform("picklist", Map.of(
            "map", ordered("Active", "active", "On hold", "paused", "Enabled", "active")));

    @Test
    void mapsSystemValuesToCanonicalValues() {
        assertThat(toCanonical(status, "Active")).isEqualTo("active");
        assertThat(toCanonical(status, "On hold")).isEqualTo("paused");
        assertThat(toCanonical(status, "Enabled")).isEqualTo("active");
        assertThat(toCanonical(status, null)).isNull();
    }

    @Test
    void backToTheSystemTheFirstDeclaredValueWins() {
        assertThat(toSystem(status, "active")).isEqualTo("Active");
        assertThat(toSystem(status, "paused")).isEqualTo("On hold");
        assertThat(toSystem(status, null)).isNull();
    }

    @Test
    void anUnknownValueWithoutDefaultListsTheAllowedValues() {
        assertThatThrownBy(() -> status.toCanonical("Archived", Transforms.context("status")))
                .isInstanceOfSatisfying(UnknownPicklistValueException.class, e -> {
                    assertThat(e.value()).isEqualTo("Archived");
                    assertThat(e.allowedValues()).containsExactly("Active", "On hold", "Enabled");
                    assertThat(e).hasMessage("contact.status from crm: 'Archived' is not in the picklist;"
                            + " allowed values: Active, On hold, Enabled");
                });
    }

    @Test
    void comparisonIsExactUnlessCaseInsensitive() {
        assertThatThrownBy(() -> toCanonical(status, "active")).isInstanceOf(UnknownPicklistValueException.class);

        var relaxed = transform("picklist", Map.of("map", ordered("Active", "active"), "caseInsensitive", true));
        assertThat(toCanonical(relaxed, "ACTIVE")).isEqualTo("active");
        assertThat(toSystem(relaxed, "active")).isEqualTo("Active");
    }

    @Test
    void anUnknownValueBecomesTheDefault() {
        var withDefault = transform("picklist", Map.of("map", ordered("Active", "active"), "default", "unknown"));

        assertThat(toCanonical(withDefault, "Archived")).isEqualTo("unknown");
    }

    @Test
    void aCanonicalValueWithoutSystemValueIsRefused() {
        var withDefault = transform("picklist", Map.of("map", ordered("Active", "active"), "default", "unknown"));

        assertThatThrownBy(() -> toSystem(withDefault, "unknown"))
                .isInstanceOfSatisfying(UnknownPicklistValueException.class, e -> {
                    assertThat(e.allowedValues()).containsExactly("active");
                    assertThat(e).hasMessage(
                            "contact.value to crm: 'unknown' is not in the picklist; allowed values: active");
                });
    }

    @Test
    void numbersAndTheirTextAreTheSameValue() {
        var tier = transform("picklist", Map.of("map", ordered(1, "gold", 2, "silver")));

        assertThat(toCanonical(tier, "1")).isEqualTo("gold");
        assertThat(toCanonical(tier, 2)).isEqualTo("silver");
        assertThat(toSystem(tier, "gold")).isEqualTo(1);
    }

    @Test
    void aMissingMapIsASpecError() {
        assertThatThrownBy(() -> transform("picklist", Map.of("default", "unknown")))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class, e -> {
                    assertThat(e.problem()).isEqualTo("parameter 'map' is missing");
                    assertThat(e.fix()).isEqualTo("map each system value to its canonical value, e.g."
                            + " {picklist: {map: {Active: active, \"On hold\": paused}, default: unknown}}");
                });
        assertThatThrownBy(() -> transform("picklist", null)).isInstanceOf(InvalidTransformSpecException.class);
    }

    @Test
    void anEntryWithoutCanonicalValueIsASpecError() {
        assertThatThrownBy(() -> transform("picklist", Map.of("map", ordered("Legacy", null))))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class,
                        e -> assertThat(e.problem())
                                .isEqualTo("entry 'Legacy: null' is not a system value and a canonical value"));
    }

    @Test
    void valuesThatCollideWithoutCaseAreASpecError() {
        assertThatThrownBy(() -> transform("picklist", Map.of(
                "map", ordered("Active", "active", "ACTIVE", "paused"), "caseInsensitive", true)))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class, e -> {
                    assertThat(e.problem()).isEqualTo("system value 'ACTIVE' is declared twice, mapping to 'active'"
                            + " and 'paused' (caseInsensitive: true)");
                    assertThat(e.fix()).isEqualTo("keep one of the two entries");
                });
    }

    @Test
    void caseInsensitiveMustBeABoolean() {
        assertThatThrownBy(() -> transform("picklist", Map.of("map", ordered("A", "a"), "caseInsensitive", "yes")))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class,
                        e -> assertThat(e.problem())
                                .isEqualTo("parameter 'caseInsensitive' must be true or false, not 'yes'"));
    }
}
