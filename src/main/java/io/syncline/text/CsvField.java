package io.syncline.text;

/** A value as a CSV field for the files Syncline hands out (reports, exports), safe to open in a spreadsheet. */
public final class CsvField {

    private CsvField() {
    }

    /** Quoted always; a leading =, +, - or @ gets a ' so that a spreadsheet does not run it as a formula. */
    public static String of(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
