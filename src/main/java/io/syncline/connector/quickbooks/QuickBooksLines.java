package io.syncline.connector.quickbooks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A transaction's {@code Line} as it is written: QuickBooks answers every read of an invoice (an
 * estimate, a sales receipt) with a {@code SubTotalLineDetail} line after the others, which it
 * computes and never takes from a request. Left in, a mapping's lines would read one line more than
 * were written, and every read-back would look like a change of the lines in QuickBooks.
 */
final class QuickBooksLines {

    static final String SUBTOTAL = "SubTotalLineDetail";

    private QuickBooksLines() {
    }

    /** {@code record} without its computed subtotal lines; the record itself when it has none. */
    static Map<String, Object> asWritten(Map<String, Object> record) {
        if (!(record.get("Line") instanceof List<?> lines)
                || lines.stream().noneMatch(line -> line instanceof Map<?, ?> map && SUBTOTAL.equals(map.get("DetailType")))) {
            return record;
        }
        Map<String, Object> written = new LinkedHashMap<>(record);
        written.put("Line", lines.stream().filter(line -> !(line instanceof Map<?, ?> map && SUBTOTAL.equals(map.get("DetailType"))))
                .toList());
        return written;
    }
}
