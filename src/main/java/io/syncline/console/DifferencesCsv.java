package io.syncline.console;

import io.syncline.reconcile.StoredDifference;
import io.syncline.text.CsvField;

import java.util.List;

/** A run's differences as CSV (RFC 4180: fields quoted, quotes doubled), one row each. */
final class DifferencesCsv {

    private static final String HEADER = "id,run,job,entity,key,bucket,fields,values_a,values_b,record_at,first_seen_at,action,inbox_id,review_item_id";

    private DifferencesCsv() {
    }

    static String of(List<StoredDifference> differences) {
        StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
        for (StoredDifference d : differences) {
            csv.append(d.id()).append(',').append(d.runId()).append(',').append(field(d.job())).append(',')
                    .append(field(d.entity())).append(',').append(field(d.key())).append(',').append(field(d.bucket())).append(',')
                    .append(field(d.fields())).append(',').append(field(d.valuesA())).append(',').append(field(d.valuesB()))
                    .append(',').append(field(d.recordAt())).append(',').append(field(d.firstSeenAt())).append(',')
                    .append(field(d.action())).append(',').append(field(d.inboxId())).append(',').append(field(d.reviewItemId()))
                    .append("\r\n");
        }
        return csv.toString();
    }

    static String field(Object value) {
        return CsvField.of(value);
    }
}
