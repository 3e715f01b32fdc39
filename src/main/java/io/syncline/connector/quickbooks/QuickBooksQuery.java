package io.syncline.connector.quickbooks;

/**
 * Values in QuickBooks' query language ("Data queries" in Intuit's Accounting API docs): a string
 * literal is in single quotes, a quote within it escaped with a backslash ({@code 'O\'Brien'}), and
 * so is a backslash, so that no value can end the literal and add a clause of its own.
 */
final class QuickBooksQuery {

    private QuickBooksQuery() {
    }

    /** {@code value} as a quoted string literal. */
    static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
