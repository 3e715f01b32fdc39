package io.syncline.mapping.transform;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TransformExceptionTest {

    private final TransformContext phone = new TransformContext("contact", "crm", "phone", Map.of());

    @Test
    void messageNamesFieldSystemValueAndReason() {
        var e = new InvalidPhoneException(phone, Direction.TO_CANONICAL, "12ab", "GB", null, null);

        assertThat(e).hasMessage("contact.phone from crm: '12ab' is not a phone number (region GB)");
        assertThat(e.field()).isEqualTo("phone");
        assertThat(e.entity()).isEqualTo("contact");
        assertThat(e.system()).isEqualTo("crm");
        assertThat(e.value()).isEqualTo("12ab");
        assertThat(e.reason()).isEqualTo("is not a phone number (region GB)");
        assertThat(e.region()).isEqualTo("GB");
    }

    @Test
    void towardsASystemTheMessageSaysTo() {
        var status = new TransformContext("contact", "billing", "status", Map.of());
        var e = new UnknownPicklistValueException(status, Direction.TO_SYSTEM, "archived", List.of("active", "paused"));

        assertThat(e).hasMessage(
                "contact.status to billing: 'archived' is not in the picklist; allowed values: active, paused");
        assertThat(e.direction()).isEqualTo(Direction.TO_SYSTEM);
        assertThat(e.allowedValues()).containsExactly("active", "paused");
    }

    @Test
    void withoutAnEntityTheFieldAloneIsNamed() {
        var e = new TypeCoercionException(new TransformContext(null, "crm", "age", null), Direction.TO_CANONICAL,
                "4x", "an integer", "not a number");

        assertThat(e).hasMessage("age from crm: '4x' cannot be read as an integer (not a number)");
    }

    @Test
    void longValuesAreCutInTheMessageButKeptWhole() {
        String pasted = "x".repeat(250);
        var e = new InvalidEmailException(phone, Direction.TO_CANONICAL, pasted);

        assertThat(e.getMessage())
                .contains("'" + "x".repeat(100) + "…(250 characters)'")
                .doesNotContain("x".repeat(101));
        assertThat(e.value()).isEqualTo(pasted);
    }

    @Test
    void specMessageJoinsProblemAndFix() {
        var e = new InvalidTransformSpecException("phone", "region 'UK' is not a known region code",
                "use an ISO 3166 code such as GB");

        assertThat(e).hasMessage("phone: region 'UK' is not a known region code; use an ISO 3166 code such as GB");
        assertThat(e.transform()).isEqualTo("phone");
    }
}
