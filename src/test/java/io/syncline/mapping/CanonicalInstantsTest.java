package io.syncline.mapping;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class CanonicalInstantsTest {

    @Test
    void whatIsReadDirectlyIsTheInstantEveryJavaTimeParserOfTheCallersReads() {
        Random random = new Random(7);
        for (int i = 0; i < 50_000; i++) {
            // Years 0000 to 9999, whole seconds and fractions of every length.
            Instant instant = Instant.ofEpochSecond(Math.floorMod(random.nextLong(), 253_402_300_800L) - 62_167_219_200L,
                    random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            String text = instant.toString();
            assertThat(CanonicalInstants.read(text)).as(text).isEqualTo(instant).isEqualTo(javaTime(text));
        }
        for (String text : List.of("2024-02-29T10:00:00Z", "2023-02-29T10:00:00Z", "2024-04-31T00:00:00Z", "2024-03-01T24:00:00Z",
                "2024-03-01T23:59:60Z", "2024-03-01T10:30Z", "2024-03-01T10:30:00.Z", "2024-03-01T10:30:00.1234567891Z",
                "2024-03-01T10:30:00.5Z", "2024-03-01T10:30:00.000000001Z", "2024-03-01t10:30:00z", "2024-03-01T10:30:00+00:00",
                "2024-03-01T10:30:00+01:00[Europe/Paris]", "+12024-03-01T10:30:00Z", "2024-3-01T10:30:00Z", "２024-03-01T10:30:00Z",
                "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2024-03-01 10:30:00Z", "")) {
            Instant read = CanonicalInstants.read(text);
            if (read != null) {
                assertThat(read).as(text).isEqualTo(javaTime(text));
            }
        }
        assertThat(CanonicalInstants.read("2024-03-01T10:30:00+01:00")).as("an offset is left to java.time").isNull();
        assertThat(CanonicalInstants.read("2024-02-30T10:00:00Z")).as("no such day").isNull();
    }

    /** What Instant.parse (the JDBC bind) and OffsetDateTime.parse (the sync guard, conflicts) read, which must agree. */
    private static Instant javaTime(String text) {
        Instant instant;
        Instant offset;
        try {
            instant = Instant.parse(text);
        } catch (DateTimeParseException e) {
            instant = null;
        }
        try {
            offset = OffsetDateTime.parse(text, DateTimeFormatter.ISO_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            offset = null;
        }
        assertThat(offset).as(text).isEqualTo(instant);
        return instant;
    }

    @Test
    void instantsAreWrittenAsInstantToStringWritesThem() {
        Random random = new Random(11);
        List<Integer> nanos = List.of(0, 1, 999_999_999, 500_000_000, 120_000_000, 123_400_000, 1_000, 123_456_000, 100);
        for (int i = 0; i < 200_000; i++) {
            // Every year from before 0000 to after 9999, and fractions of every length.
            long seconds = Math.floorMod(random.nextLong(), 2 * 320_000_000_000L) - 320_000_000_000L;
            int nano = random.nextBoolean() ? nanos.get(random.nextInt(nanos.size())) : random.nextInt(1_000_000_000);
            Instant instant = Instant.ofEpochSecond(seconds, nano);
            assertThat(CanonicalInstants.text(instant)).isEqualTo(instant.toString());
        }
        for (String text : List.of("0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z",
                "2024-02-29T00:00:00.001Z", "-0001-12-31T23:59:59Z", "+10000-01-01T00:00:00Z")) {
            assertThat(CanonicalInstants.text(Instant.parse(text))).isEqualTo(text);
        }
    }
}
