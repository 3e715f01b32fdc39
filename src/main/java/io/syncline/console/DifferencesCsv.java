package io.syncline.console;

import io.syncline.reconcile.StoredDifference;
import io.syncline.text.Csv;

import java.util.List;

/** A run's differences as CSV ({@link Csv}), one row each. */
final class DifferencesCsv {

    private static final String HEADER = Csv.header("id", "run", "job", "entity", "key", "bucket", "fields", "values_a",
            "values_b", "record_at", "first_seen_at", "action", "inbox_id", "review_item_id");

    private DifferencesCsv() {
    }

    static String of(List<StoredDifference> differences) {
        StringBuilder csv = new StringBuilder(HEADER);
        for (StoredDifference d : differences) {
            // The ids are numbers: unquoted, as a spreadsheet reads them.
            csv.append(d.id()).append(',').append(d.runId()).append(',').append(Csv.row(d.job(), d.entity(), d.key(),
                    d.bucket(), d.fields(), d.valuesA(), d.valuesB(), d.recordAt(), d.firstSeenAt(), d.action(), d.inboxId(),
                    d.reviewItemId()));
        }
        return csv.toString();
    }
}
