package io.syncline.console;

import io.syncline.reconcile.StoredDifference;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A run's differences as CSV and field by field, as the console shows and downloads them. */
class DifferencesCsvTest {

    private static StoredDifference mismatch(String key, String valuesA, String valuesB) {
        return new StoredDifference(7, 3, "contacts", "contact", key, "mismatched", "[\"city\"]", valuesA, valuesB,
                OffsetDateTime.parse("2024-05-01T09:00:00Z"), OffsetDateTime.parse("2024-05-02T09:00:00Z"), "report", null, null);
    }

    @Test
    void quotesDoubledAndFormulasDefused() {
        String csv = DifferencesCsv.of(List.of(mismatch("=HYPERLINK(\"x\")", "{\"city\":\"York\"}", "{\"city\":\"Leeds\"}")));

        assertThat(csv.split("\r\n")).hasSize(2);
        assertThat(csv).startsWith("id,run,job,entity,key,bucket,")
                .contains("\"'=HYPERLINK(\"\"x\"\")\"")
                .contains("\"{\"\"city\"\":\"\"York\"\"}\"");
    }

    @Test
    void aMismatchShowsItsDifferingFieldsAndARecordOnOneSideItsWholeRecord() {
        assertThat(ConsoleExtensions.fieldValues(mismatch("c-1", "{\"city\":\"York\",\"email\":\"a@x\"}",
                "{\"city\":\"Leeds\",\"email\":\"a@x\"}")))
                .containsExactly(Map.of("field", "city", "a", "York", "b", "Leeds"));

        StoredDifference onlyInA = new StoredDifference(8, 3, "contacts", "contact", "c-2", "only_in_a", null,
                "{\"city\":\"York\",\"email\":null}", null, null, null, "report", null, null);
        assertThat(ConsoleExtensions.fieldValues(onlyInA)).containsExactly(
                Map.of("field", "city", "a", "York", "b", "(no record)"),
                Map.of("field", "email", "a", "(empty)", "b", "(no record)"));
    }
}
