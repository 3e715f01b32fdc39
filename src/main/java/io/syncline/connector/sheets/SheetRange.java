package io.syncline.connector.sheets;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a mapping's rows are, in A1 notation ({@code resource:} of the mapping): a sheet (tab)
 * alone ({@code Contacts}, {@code 'Open orders'}) or with the cells of the table
 * ({@code Contacts!A1:F}, {@code Contacts!B3:H}: the first cell and the last column). The first
 * row of the range holds the column names; the rows below it are the records.
 *
 * @param sheet       the sheet as A1 notation writes it (quoted where it has to be)
 * @param firstColumn the table's first column, 1 for A
 * @param headerRow   the row of the column names, 1-based
 * @param lastColumn  the table's last column; 0 for a sheet alone (every column it has)
 */
record SheetRange(String sheet, int firstColumn, int headerRow, int lastColumn) {

    private static final Pattern A1 = Pattern.compile("('(?:[^']|'')+'|[^!']+)(?:!([A-Za-z]{1,3})([0-9]+)?:([A-Za-z]{1,3})[0-9]*)?");

    /** @throws IllegalArgumentException the text is not a sheet's range in A1 notation */
    static SheetRange parse(String resource) {
        Matcher a1 = resource == null ? null : A1.matcher(resource.strip());
        if (a1 == null || !a1.matches()) {
            throw new IllegalArgumentException("'" + resource + "' is not a sheet's range in A1 notation: write the sheet's name"
                    + " (resource: Contacts) or the table's first cell and last column, the column names in its first row"
                    + " (resource: Contacts!A1:F)");
        }
        int first = a1.group(2) == null ? 1 : column(a1.group(2));
        int header = a1.group(3) == null ? 1 : Integer.parseInt(a1.group(3));
        int last = a1.group(4) == null ? 0 : column(a1.group(4));
        if (header < 1 || last != 0 && last < first) {
            throw new IllegalArgumentException("'" + resource + "' is not a range of a sheet's table");
        }
        return new SheetRange(a1.group(1), first, header, last);
    }

    /** The whole table: the header row and every row below it. */
    String table() {
        return lastColumn == 0 ? sheet : sheet + "!" + letters(firstColumn) + headerRow + ":" + letters(lastColumn);
    }

    /** Row {@code row} (1-based, as the sheet counts) across {@code columns} columns from the first. */
    String row(int row, int columns) {
        return sheet + "!" + letters(firstColumn) + row + ":" + letters(firstColumn + Math.max(columns, 1) - 1) + row;
    }

    /** The column's letters: 1 is A, 27 is AA. */
    static String letters(int column) {
        StringBuilder letters = new StringBuilder();
        for (int rest = column; rest > 0; rest = (rest - 1) / 26) {
            letters.insert(0, (char) ('A' + (rest - 1) % 26));
        }
        return letters.toString();
    }

    static int column(String letters) {
        int column = 0;
        for (char letter : letters.toUpperCase(java.util.Locale.ROOT).toCharArray()) {
            column = column * 26 + (letter - 'A' + 1);
        }
        return column;
    }
}
