package io.syncline.store;

import java.sql.SQLException;

/** A row that had to be new exists already ({@link Writes#writeNew}); SQLState 23505, as a unique violation. */
public class RowExistsException extends SQLException {

    public RowExistsException(String what) {
        super(what + " exists already", "23505");
    }
}
