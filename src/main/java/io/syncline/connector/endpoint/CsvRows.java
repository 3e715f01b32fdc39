package io.syncline.connector.endpoint;

import org.apache.camel.Exchange;
import org.apache.camel.dataformat.csv.CsvDataFormat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV file's rows, read by Camel's CSV data format one record at a time ({@code lazyLoad}), its
 * header row naming the columns: each row with the line it starts on (the header is line 1), and
 * apart from them the malformed ones, each with its line and why: a row whose values are more or
 * fewer than the header's columns, and where the parser cannot go on (a quote never closed), the
 * rest of the file from that row's line on.
 */
final class CsvRows {

    /** A row of the file and the line it starts on. */
    record Row(int line, Map<String, Object> record) {
    }

    /** A row that is no record: its line, the text from that line to its end, and why. */
    record Malformed(int line, String text, String reason) {
    }

    record Read(List<Row> rows, List<Malformed> malformed) {
    }

    private CsvRows() {
    }

    /**
     * @throws IllegalArgumentException the file has no header row
     */
    static Read read(Exchange exchange, byte[] body) throws Exception {
        String text = new String(body, StandardCharsets.UTF_8);
        Lines lines = new Lines(text);
        CsvDataFormat csv = new CsvDataFormat();
        csv.setUseMaps(true);
        csv.setLazyLoad(true);
        csv.setRecordConverter(record -> new Parsed(record.getCharacterPosition(), record.isConsistent(), record.size(),
                record.getParser().getHeaderNames().size(), record.toMap()));
        csv.start();
        List<Row> rows = new ArrayList<>();
        List<Malformed> malformed = new ArrayList<>();
        try {
            Iterator<?> records;
            try {
                records = (Iterator<?>) csv.unmarshal(exchange, new ByteArrayInputStream(body));
            } catch (java.io.IOException | RuntimeException e) {
                throw new IllegalArgumentException("its header row cannot be read: " + e.getMessage(), e);
            }
            long next = text.indexOf('\n') + 1;
            while (true) {
                Parsed parsed;
                try {
                    if (!records.hasNext()) {
                        break;
                    }
                    parsed = (Parsed) records.next();
                } catch (RuntimeException e) {
                    // the parser cannot go on past a broken row: the rest of the file from it on
                    int line = lines.of(next);
                    malformed.add(new Malformed(line, lines.from(line), "line " + line + " and on cannot be read as CSV: "
                            + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage())));
                    break;
                }
                int line = lines.of(parsed.position());
                next = lines.startOfLineAfter(parsed.position());
                if (!parsed.consistent()) {
                    malformed.add(new Malformed(line, lines.text(line), "line " + line + " has " + parsed.values()
                            + " values; the header names " + parsed.columns() + " columns"));
                    continue;
                }
                Map<String, Object> record = new LinkedHashMap<>();
                parsed.record().forEach(record::put);
                rows.add(new Row(line, record));
            }
            if (records instanceof java.io.Closeable closeable) {
                closeable.close();
            }
        } finally {
            csv.stop();
        }
        return new Read(rows, malformed);
    }

    /** One record as the parser gave it: where it starts, whether its values match the header, and the values by column. */
    private record Parsed(long position, boolean consistent, int values, int columns, Map<String, String> record) {
    }

    /** The lines of a file's text, to name a record's line by the character it starts at. */
    private static final class Lines {

        private final String text;
        private final List<Integer> starts = new ArrayList<>();

        Lines(String text) {
            this.text = text;
            starts.add(0);
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n' && i + 1 < text.length()) {
                    starts.add(i + 1);
                }
            }
        }

        /** The line (from 1) the character at {@code position} is on. */
        int of(long position) {
            int found = java.util.Collections.binarySearch(starts, (int) position);
            return found >= 0 ? found + 1 : -found - 1;
        }

        long startOfLineAfter(long position) {
            int line = of(position);
            return line < starts.size() ? starts.get(line) : text.length();
        }

        String text(int line) {
            int start = starts.get(line - 1);
            int end = line < starts.size() ? starts.get(line) : text.length();
            return text.substring(start, end).stripTrailing();
        }

        String from(int line) {
            return line - 1 < starts.size() ? text.substring(starts.get(line - 1)).stripTrailing() : "";
        }
    }
}
