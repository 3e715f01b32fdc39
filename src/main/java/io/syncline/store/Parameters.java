package io.syncline.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;

/**
 * The parameters of one row of a write statement, numbered from 1 as in the statement's
 * single-row SQL. A row binds them here rather than on a {@link PreparedStatement}, so that
 * several rows can be sent as one multi-row statement ({@link RowsStatement}), each row's
 * parameters at its own place.
 *
 * <p>Each typed setter is the {@link PreparedStatement} setter of the same name, handed to
 * {@link #set}: where a row's parameters stand is the one thing an implementation decides.
 */
public interface Parameters {

    /** One {@link PreparedStatement} setter with its value: sets parameter {@code number} of {@code statement}. */
    @FunctionalInterface
    interface Setter {

        void set(PreparedStatement statement, int number) throws SQLException;
    }

    /** Sets this row's parameter {@code index} with {@code setter}. */
    void set(int index, Setter setter) throws SQLException;

    default void setString(int index, String value) throws SQLException {
        set(index, (statement, number) -> statement.setString(number, value));
    }

    default void setInt(int index, int value) throws SQLException {
        set(index, (statement, number) -> statement.setInt(number, value));
    }

    default void setLong(int index, long value) throws SQLException {
        set(index, (statement, number) -> statement.setLong(number, value));
    }

    /** A value sent as {@code sqlType} ({@link java.sql.Types}); {@code Types.OTHER} leaves the type to the server. */
    default void setObject(int index, Object value, int sqlType) throws SQLException {
        set(index, (statement, number) -> statement.setObject(number, value, sqlType));
    }

    default void setBoolean(int index, boolean value) throws SQLException {
        set(index, (statement, number) -> statement.setBoolean(number, value));
    }

    default void setTimestamp(int index, Timestamp value) throws SQLException {
        set(index, (statement, number) -> statement.setTimestamp(number, value));
    }

    /** A value whose SQL type the driver infers from its Java type; null for SQL NULL. */
    default void setObject(int index, Object value) throws SQLException {
        set(index, (statement, number) -> statement.setObject(number, value));
    }

    /** SQL NULL of {@code sqlType} ({@link java.sql.Types}), for a column whose type the statement does not fix. */
    default void setNull(int index, int sqlType) throws SQLException {
        set(index, (statement, number) -> statement.setNull(number, sqlType));
    }

    /** A row's parameters on {@code statement}, its first parameter there being number {@code offset + 1}. */
    static Parameters at(PreparedStatement statement, int offset) {
        return (index, setter) -> setter.set(statement, offset + index);
    }
}
