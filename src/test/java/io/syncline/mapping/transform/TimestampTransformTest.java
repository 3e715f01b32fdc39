package io.syncline.mapping.transform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static io.syncline.mapping.transform.Transforms.toCanonical;
import static io.syncline.mapping.transform.Transforms.toSystem;
import static io.syncline.mapping.transform.Transforms.transform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimestampTransformTest {

    private final FieldTransform utc = transform("timestamp", null);
    private final FieldTransform london = transform("timestamp", Map.of(
            "formats", List.of("dd/MM/yyyy HH:mm", "yyyy-MM-dd'T'HH:mm:ssXXX"), "zone", "Europe/London"));

    @ParameterizedTest
    @ValueSource(strings = {"2024-03-01T09:30:00Z", "2024-03-01T10:30:00+01:00", "2024-03-01T04:30:00-05:00",
            "2024-03-01T09:30:00", "2024-03-01T09:30", "2024-03-01 09:30:00", "2024-03-01 09:30:00Z",
            "2024-03-01t09:30:00z", "2024-03-01T10:30:00+01:00[Europe/Paris]", " 2024-03-01T09:30:00.000Z "})
    void isoFormsGiveTheUtcInstant(String written) {
        assertThat(toCanonical(utc, written)).isEqualTo("2024-03-01T09:30:00Z");
    }

    @Test
    void epochSecondsAreReadAndWrittenAsStripesCreated() {
        FieldTransform created = transform("timestamp", Map.of("epoch", "seconds"));
        assertThat(toCanonical(created, 1_732_900_000)).isEqualTo("2024-11-29T17:06:40Z");
        assertThat(toCanonical(created, 1_732_900_000L)).isEqualTo("2024-11-29T17:06:40Z");
        assertThat(toSystem(created, "2024-11-29T17:06:40Z")).isEqualTo(1_732_900_000L);
        assertThat(toCanonical(utc, 1_732_900_000L)).isEqualTo("1970-01-21T01:21:40Z");
        assertThatThrownBy(() -> transform("timestamp", Map.of("epoch", "minutes"))).isInstanceOf(InvalidTransformSpecException.class)
                .hasMessageContaining("epoch: seconds");
    }

    @Test
    void fractionsOfASecondAreKept() {
        assertThat(toCanonical(utc, "2024-03-01T09:30:00.125+00:00")).isEqualTo("2024-03-01T09:30:00.125Z");
    }

    @Test
    void anOffsetWithoutItsColonIsReadAsSalesforceWritesIt() {
        assertThat(toCanonical(utc, "2024-03-01T09:30:00.000+0000")).isEqualTo("2024-03-01T09:30:00Z");
        assertThat(toCanonical(london, "2024-07-01T10:00:00.000+0100")).isEqualTo("2024-07-01T09:00:00Z");
    }

    @Test
    void valuesWithoutAnOffsetAreInTheDeclaredZone() {
        assertThat(toCanonical(london, "2024-07-01T10:00:00")).isEqualTo("2024-07-01T09:00:00Z");
        assertThat(toCanonical(london, "2024-01-15T10:00:00")).isEqualTo("2024-01-15T10:00:00Z");
        assertThat(toCanonical(london, "2024-07-01T10:00:00Z")).isEqualTo("2024-07-01T10:00:00Z");
    }

    @Test
    void declaredFormatsAreTriedAfterIso() {
        assertThat(toCanonical(london, "01/07/2024 10:00")).isEqualTo("2024-07-01T09:00:00Z");
        assertThat(toCanonical(london, "29/02/2024 23:15")).isEqualTo("2024-02-29T23:15:00Z");
    }

    @Test
    void theRepeatedAutumnHourIsSettledByTheOffset() {
        assertThat(toCanonical(london, "2024-10-27T01:30:00+01:00")).isEqualTo("2024-10-27T00:30:00Z");
        assertThat(toCanonical(london, "2024-10-27T01:30:00+00:00")).isEqualTo("2024-10-27T01:30:00Z");
        assertThat(toCanonical(london, "2024-10-27T01:30:00+00:00[Europe/London]")).isEqualTo("2024-10-27T01:30:00Z");
    }

    @Test
    void javaValuesAndEpochMillisAreAccepted() {
        Instant instant = Instant.parse("2024-03-01T09:30:00Z");
        assertThat(toCanonical(utc, instant.toEpochMilli())).isEqualTo("2024-03-01T09:30:00Z");
        assertThat(toCanonical(utc, 0)).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(toCanonical(utc, instant)).isEqualTo("2024-03-01T09:30:00Z");
        assertThat(toCanonical(utc, OffsetDateTime.of(2024, 3, 1, 10, 30, 0, 0, ZoneOffset.ofHours(1))))
                .isEqualTo("2024-03-01T09:30:00Z");
        assertThat(toCanonical(london, LocalDateTime.of(2024, 7, 1, 10, 0))).isEqualTo("2024-07-01T09:00:00Z");
        assertThat(toCanonical(utc, Date.from(instant))).isEqualTo("2024-03-01T09:30:00Z");
        var timestamp = java.sql.Timestamp.from(instant);
        timestamp.setNanos(123_456_789);
        assertThat(toCanonical(utc, timestamp)).isEqualTo("2024-03-01T09:30:00.123456789Z");
    }

    @Test
    void blankAndNullAreNoTimestamp() {
        assertThat(toCanonical(utc, "")).isNull();
        assertThat(toCanonical(utc, null)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "31/02/2024 10:00", "2024-13-01T00:00:00Z", "01/07/2024", "1709285400000"})
    void unparseableTextNamesEveryFormatTried(String written) {
        assertThatThrownBy(() -> london.toCanonical(written, Transforms.context("updatedAt")))
                .isInstanceOfSatisfying(UnparseableTimestampException.class, e -> {
                    assertThat(e.value()).isEqualTo(written);
                    assertThat(e.formatsTried()).containsExactly("ISO-8601", "ISO-8601 with a space",
                            "ISO-8601 with a +hhmm offset", "dd/MM/yyyy HH:mm", "yyyy-MM-dd'T'HH:mm:ssXXX");
                    assertThat(e).hasMessage("contact.updatedAt from crm: '" + written + "' is not a timestamp in any"
                            + " of the formats tried: ISO-8601, ISO-8601 with a space, ISO-8601 with a +hhmm offset, dd/MM/yyyy HH:mm,"
                            + " yyyy-MM-dd'T'HH:mm:ssXXX");
                });
    }

    @Test
    void otherTypesAreRefused() {
        assertThatThrownBy(() -> toCanonical(utc, 1.5e12))
                .isInstanceOfSatisfying(TypeCoercionException.class,
                        e -> assertThat(e.targetType()).isEqualTo("a timestamp"));
        assertThatThrownBy(() -> toCanonical(utc, java.time.LocalTime.NOON)).isInstanceOf(TypeCoercionException.class);
    }

    @Test
    void towardsTheSystemTheCanonicalStringStaysWithoutOutputFormatOrZone() {
        assertThat(toSystem(utc, "2024-03-01T09:30:00Z")).isEqualTo("2024-03-01T09:30:00Z");
    }

    @Test
    void towardsTheSystemOutputFormatIsWrittenInTheZone() {
        var system = transform("timestamp", Map.of("outputFormat", "dd/MM/yyyy HH:mm", "zone", "Europe/London"));

        assertThat(toSystem(system, "2024-07-01T09:00:00Z")).isEqualTo("01/07/2024 10:00");
        assertThat(toCanonical(system, "01/07/2024 10:00")).isEqualTo("2024-07-01T09:00:00Z");
    }

    @Test
    void towardsTheSystemAZoneAloneGivesAnIsoOffsetDateTime() {
        var system = transform("timestamp", Map.of("zone", "Europe/London"));

        assertThat(toSystem(system, "2024-07-01T09:00:00Z")).isEqualTo("2024-07-01T10:00:00+01:00");
    }

    @Test
    void aNonCanonicalValueTowardsTheSystemIsRefused() {
        var system = transform("timestamp", Map.of("zone", "Europe/London"));

        assertThatThrownBy(() -> toSystem(system, "soon"))
                .isInstanceOfSatisfying(UnparseableTimestampException.class,
                        e -> assertThat(e).hasMessageStartingWith("contact.value to crm: 'soon' is not a timestamp"));
    }

    @Test
    void aBadPatternIsASpecError() {
        assertThatThrownBy(() -> transform("timestamp", Map.of("formats", List.of("dd/MM/yyyy HH:mm b"))))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class, e -> {
                    assertThat(e.problem()).startsWith("format 'dd/MM/yyyy HH:mm b' is not a date-time pattern (");
                    assertThat(e.fix()).startsWith("use DateTimeFormatter pattern letters, e.g. dd/MM/yyyy HH:mm");
                });
    }

    @Test
    void aBadZoneIsASpecError() {
        assertThatThrownBy(() -> transform("timestamp", Map.of("zone", "Europe/Londn")))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class, e -> {
                    assertThat(e.problem()).isEqualTo("zone 'Europe/Londn' is not a time zone");
                    assertThat(e.fix()).isEqualTo("use a region ID such as Europe/London or America/New_York, or UTC");
                });
    }

    @Test
    void formatsMustBeTexts() {
        assertThatThrownBy(() -> transform("timestamp", Map.of("formats", List.of(42))))
                .isInstanceOfSatisfying(InvalidTransformSpecException.class,
                        e -> assertThat(e.problem())
                                .isEqualTo("parameter 'formats' must be a list of texts, not '[42]'"));
    }
}
