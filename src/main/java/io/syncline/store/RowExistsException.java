package io.syncline.store;

import java.sql.SQLException;
import java.util.List;

/** A row that had to be new exists already ({@link Writes#writeNew}); SQLState 23505, as a unique violation. */
public class RowExistsException extends SQLException {

    public RowExistsException(String what) {
        super(what + " exists already", "23505");
    }

    /**
     * {@code existing} of the rows one statement sent, which all had to be new, inserted nothing;
     * its update count does not say which.
     */
    public RowExistsException(List<String> sent, int existing) {
        super(sent.size() == 1 ? sent.get(0) + " exists already"
                : existing + " of " + sent.size() + " rows that had to be new exist already: " + String.join("; ", sent), "23505");
    }
}
