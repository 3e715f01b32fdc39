package io.syncline.links;

/**
 * A row of an ID map import that cannot be read or linked as it stands: answered 400
 * {@code malformed_csv} naming its line and, where one cell is at fault, its column.
 */
public class MalformedLinkException extends IllegalArgumentException {

    private final long line;
    private final String column;

    MalformedLinkException(long line, String column, String problem) {
        super("Line " + line + (column == null ? "" : ", column " + column) + ": " + problem);
        this.line = line;
        this.column = column;
    }

    public long line() {
        return line;
    }

    /** The header's name of the column at fault; null when the row as a whole is. */
    public String column() {
        return column;
    }
}
