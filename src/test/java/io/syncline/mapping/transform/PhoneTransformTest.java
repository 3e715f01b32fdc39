package io.syncline.mapping.transform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static io.syncline.mapping.transform.Transforms.toCanonical;
import static io.syncline.mapping.transform.Transforms.toSystem;
import static io.syncline.mapping.transform.Transforms.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PhoneTransformTest {

    private final FieldTransform gb = transform("phone", Map.of("region", "GB"));
    private final FieldTransform us = transform("phone", Map.of("region", "US"));

    @ParameterizedTest
    @ValueSource(strings = {"(020) 7946 0018", "020 7946 0018", "+44 20 7946 0018", "0044 20 7946 0018",
            "020-7946-0018", "  02079460018 ", "+44 (0)20 7946 0018"})
    void britishFormsAllGiveOneE164(String written) {
        assertThat(toCanonical(gb, written)).isEqualTo("+442079460018");
    }

    @ParameterizedTest
    @ValueSource(strings = {"(415) 555-2671", "415.555.2671", "1-415-555-2671", "+1 415 555 2671", "4155552671"})
    void americanFormsAllGiveOneE164(String written) {
        assertThat(toCanonical(us, written)).isEqualTo("+14155552671");
    }

    @Test
    void aCountryCodeOverridesTheDefaultRegion() {
        assertThat(toCanonical(gb, "+1 415 555 2671")).isEqualTo("+14155552671");
    }

    @Test
    void numbersFromSpreadsheetsAreReadAsDigits() {
        assertThat(toCanonical(us, 4155552671L)).isEqualTo("+14155552671");
    }

    @Test
    void blankAndNullAreNoNumber() {
        assertThat(toCanonical(gb, "  ")).isNull();
        assertThat(toCanonical(gb, null)).isNull();
        assertThat(toSystem(gb, null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"12ab", "not a phone", "020 7946 001", "+44 20 7946 00188", "+999 1234 5678"})
    void invalidNumbersAreRefused(String written) {
        assertThatThrownBy(() -> gb.toCanonical(written, Transforms.context("phone")))
                .isInstanceOfSatisfying(InvalidPhoneException.class, e -> {
                    assertThat(e.value()).isEqualTo(written);
                    assertThat(e.region()).isEqualTo("GB");
                    assertThat(e.getMessage())
                            .startsWith("contact.phone from crm: '" + written + "' is not a phone number (region GB)");
                });
    }

    @Test
    void anExtensionIsRefusedRatherThanDropped() {
        assertThatThrownBy(() -> toCanonical(gb, "+44 20 7946 0018 ext. 123"))
                .isInstanceOf(InvalidPhoneException.class)
                .hasMessageEndingWith("it has an extension, which E.164 cannot hold");
    }

    @Test
    void towardsTheSystemE164StaysByDefault() {
        assertThat(toSystem(gb, "+442079460018")).isEqualTo("+442079460018");
    }

    @Test
    void towardsTheSystemTheDeclaredFormatIsWritten() {
        var national = transform("phone", Map.of("region", "GB", "format", "national"));
        var international = transform("phone", Map.of("region", "GB", "format", "international"));

        assertThat(toSystem(national, "+442079460018")).isEqualTo("020 7946 0018");
        assertThat(toSystem(international, "+442079460018")).isEqualTo("+44 20 7946 0018");
    }

    @Test
    void aForeignNumberIsWrittenInternationallyEvenWhenNationalIsAsked() {
        var national = transform("phone", Map.of("region", "GB", "format", "national"));

        assertThat(toSystem(national, "+14155552671")).isEqualTo("+1 415-555-2671");
    }

    @Test
    void regionIsReadInAnyCase() {
        assertThat(toCanonical(transform("phone", Map.of("region", "gb")), "020 7946 0018")).isEqualTo("+442079460018");
    }

    @Test
    void anUnknownRegionSaysToUseAnIsoCode() {
        assertThatThrownBy(() -> transform("phone", Map.of("region", "UK")))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class, e -> {
                    assertThat(e.problem()).isEqualTo("region 'UK' is not a known region code");
                    assertThat(e.fix()).isEqualTo("use an ISO 3166 code such as GB, US or DE");
                    assertThat(e).hasMessage("phone: region 'UK' is not a known region code; "
                            + "use an ISO 3166 code such as GB, US or DE");
                });
    }

    @Test
    void aMissingRegionSaysWhatToAdd() {
        assertThatThrownBy(() -> transform("phone", null))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class, e -> {
                    assertThat(e.problem()).isEqualTo("parameter 'region' is missing");
                    assertThat(e.fix()).isEqualTo("add the default region for numbers written without a country code, "
                            + "e.g. {phone: {region: GB}}");
                });
    }

    @Test
    void anUnknownFormatListsTheFormats() {
        assertThatThrownBy(() -> transform("phone", Map.of("region", "GB", "format", "E.164")))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class, e -> {
                    assertThat(e.problem()).isEqualTo("format 'E.164' is not a phone format");
                    assertThat(e.fix()).isEqualTo("use e164, national or international");
                });
    }

    @Test
    void aMisspelledParameterIsNotIgnored() {
        assertThatThrownBy(() -> transform("phone", Map.of("regoin", "GB")))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class, e -> {
                    assertThat(e.problem()).isEqualTo("unknown parameter 'regoin'");
                    assertThat(e.fix()).isEqualTo("use one of format, region, e.g. {phone: {region: GB}}");
                });
    }
}
