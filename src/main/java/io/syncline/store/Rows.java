package io.syncline.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The rows a prepared query answers, each read into a value. */
public final class Rows {

    /** Reads the current row of a result. */
    @FunctionalInterface
    public interface Reader<T> {

        T read(ResultSet row) throws SQLException;
    }

    private Rows() {
    }

    /** Runs {@code select}, its parameters already bound, and reads every row it answers, in order. */
    public static <T> List<T> list(PreparedStatement select, Reader<T> reader) throws SQLException {
        List<T> read = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                read.add(reader.read(rows));
            }
        }
        return read;
    }
}
