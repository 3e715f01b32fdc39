package io.syncline.text;

import java.util.StringJoiner;

/**
 * Rows of the CSV files Syncline hands out (RFC 4180): each cell as {@link CsvField} writes it
 * (quoted, quotes doubled, a would-be spreadsheet formula defused), rows ended by CRLF.
 */
public final class Csv {

    private Csv() {
    }

    /** One row: its cells, then CRLF. */
    public static String row(Object... cells) {
        StringJoiner row = new StringJoiner(",", "", "\r\n");
        for (Object cell : cells) {
            row.add(CsvField.of(cell));
        }
        return row.toString();
    }

    /** A header row: names are written as they are, unquoted. */
    public static String header(String... names) {
        return String.join(",", names) + "\r\n";
    }
}
