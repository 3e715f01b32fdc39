package io.syncline.mapping.transform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static io.syncline.mapping.transform.Transforms.toCanonical;
import static io.syncline.mapping.transform.Transforms.toSystem;
import static io.syncline.mapping.transform.Transforms.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DateTransformTest {

    private final FieldTransform date = transform("date", Map.of("formats", List.of("dd/MM/yyyy", "d MMM uuuu")));

    @ParameterizedTest
    @ValueSource(strings = {"2024-03-01", " 2024-03-01 ", "01/03/2024", "1 Mar 2024", "1 MAR 2024"})
    void writtenFormsGiveTheIsoDate(String written) {
        assertThat(toCanonical(date, written)).isEqualTo("2024-03-01");
    }

    @Test
    void javaDatesAreAccepted() {
        assertThat(toCanonical(date, LocalDate.of(2024, 2, 29))).isEqualTo("2024-02-29");
        assertThat(toCanonical(date, java.sql.Date.valueOf("2024-02-29"))).isEqualTo("2024-02-29");
    }

    @Test
    void blankAndNullAreNoDate() {
        assertThat(toCanonical(date, " ")).isNull();
        assertThat(toCanonical(date, null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"31/02/2024", "2023-02-29", "03/01/24", "next week", "2024-03-01T00:00:00Z"})
    void unparseableTextNamesEveryFormatTried(String written) {
        assertThatThrownBy(() -> date.toCanonical(written, Transforms.context("birthday")))
                .isInstanceOfSatisfying(UnparseableDateException.class, e -> {
                    assertThat(e.value()).isEqualTo(written);
                    assertThat(e).hasMessage("contact.birthday from crm: '" + written + "' is not a date in any of the"
                            + " formats tried: ISO-8601 (yyyy-MM-dd), dd/MM/yyyy, d MMM uuuu");
                });
    }

    @Test
    void numbersAreRefusedAsTheWrongType() {
        assertThatThrownBy(() -> toCanonical(date, 20240301))
                .isInstanceOfSatisfying(TypeCoercionException.class,
                        e -> assertThat(e.reason()).isEqualTo("cannot be read as a date"
                                + " (type Integer; use text such as 2024-03-01 or a LocalDate)"));
    }

    @Test
    void towardsTheSystemOutputFormatIsWrittenAndReadBack() {
        var system = transform("date", Map.of("outputFormat", "MM/dd/yyyy"));

        assertThat(toSystem(system, "2024-03-01")).isEqualTo("03/01/2024");
        assertThat(toCanonical(system, "03/01/2024")).isEqualTo("2024-03-01");
        assertThat(toSystem(date, "2024-03-01")).isEqualTo("2024-03-01");
    }

    @Test
    void anUnknownParameterIsASpecError() {
        assertThatThrownBy(() -> transform("date", Map.of("zone", "UTC")))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class, e -> {
                    assertThat(e.problem()).isEqualTo("unknown parameter 'zone'");
                    assertThat(e.fix()).startsWith("use one of formats, outputFormat");
                });
    }
}
