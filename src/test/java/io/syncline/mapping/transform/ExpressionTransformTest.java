package io.syncline.mapping.transform;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

import static io.syncline.mapping.transform.Transforms.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpressionTransformTest {

    private final FieldTransform fullName = transform("expression", "${firstName} ${lastName}");

    private static TransformContext recordOf(Map<String, Object> record) {
        return new TransformContext("contact", "crm", "fullName", record);
    }

    @Test
    void fillsTheTemplateFromTheCanonicalRecord() {
        var context = recordOf(Map.of("firstName", "Ada", "lastName", "Lovelace"));

        assertThat(fullName.toCanonical("ignored", context)).isEqualTo("Ada Lovelace");
        assertThat(fullName.toSystem(null, context)).isEqualTo("Ada Lovelace");
    }

    @Test
    void missingPartsLeaveNoStraySpaces() {
        Map<String, Object> record = new HashMap<>();
        record.put("firstName", "  Ada ");
        record.put("lastName", null);

        assertThat(fullName.toCanonical(null, recordOf(record))).isEqualTo("Ada");
        assertThat(transform("expression", "${title} ${firstName}  ${lastName}")
                .toCanonical(null, recordOf(Map.of("lastName", "Lovelace")))).isEqualTo("Lovelace");
        assertThat(transform("expression", "${firstName} ${middleName} ${lastName}")
                .toCanonical(null, recordOf(Map.of("firstName", "Ada", "lastName", "Lovelace"))))
                .isEqualTo("Ada Lovelace");
    }

    @Test
    void anEmptyResultIsNull() {
        assertThat(fullName.toCanonical("x", recordOf(Map.of()))).isNull();
        assertThat(fullName.toCanonical("x", new TransformContext("contact", "crm", "fullName", null))).isNull();
    }

    @Test
    void nestedPathsReadThroughMaps() {
        var label = transform("expression", "${address.city}, ${address.country.code}");
        var context = recordOf(Map.of("address", Map.of("city", "Leeds", "country", Map.of("code", "GB"))));

        assertThat(label.toCanonical(null, context)).isEqualTo("Leeds, GB");
        assertThat(transform("expression", "${address.city.name}").toCanonical(null, context)).isNull();
    }

    @Test
    void numbersAreWrittenPlainly() {
        var line = transform("expression", "${qty} x ${price}");

        assertThat(line.toCanonical(null, recordOf(Map.of("qty", 3L, "price", new BigDecimal("1E+1")))))
                .isEqualTo("3 x 10");
    }

    @Test
    void recordValuesAreNeverExpandedAgain() {
        var context = recordOf(Map.of("firstName", "${lastName}", "lastName", "Lovelace"));

        assertThat(transform("expression", "${firstName}").toCanonical(null, context)).isEqualTo("${lastName}");
    }

    @Test
    void aTemplateWithoutVariablesShouldBeAConstant() {
        assertThatThrownBy(() -> transform("expression", "Ada Lovelace"))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class, e -> {
                    assertThat(e.problem()).isEqualTo("template 'Ada Lovelace' has no ${field} variable");
                    assertThat(e.fix()).isEqualTo("use {constant: 'Ada Lovelace'} for a fixed value");
                });
        assertThatThrownBy(() -> transform("expression", "${firstName"))
                .isInstanceOf(InvalidTransformSpecException.class);
    }

    @Test
    void anEmptyVariableOrMissingTemplateIsASpecError() {
        assertThatThrownBy(() -> transform("expression", "${firstName} ${}"))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class,
                        e -> assertThat(e.problem()).isEqualTo("template '${firstName} ${}' has an empty ${}"));
        assertThatThrownBy(() -> transform("expression", null))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class,
                        e -> assertThat(e.fix()).isEqualTo(
                                "write the template after the name, e.g. {expression: \"${firstName} ${lastName}\"}"));
    }
}
