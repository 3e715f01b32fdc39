package io.syncline.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;

/**
 * The parameters of one row of a write statement, numbered from 1 as in the statement's
 * single-row SQL. A row binds them here rather than on a {@link PreparedStatement}, so that
 * several rows can be sent as one multi-row statement ({@link RowsStatement}), each row's
 * parameters at its own place.
 */
public interface Parameters {

    void setString(int index, String value) throws SQLException;

    void setInt(int index, int value) throws SQLException;

    void setLong(int index, long value) throws SQLException;

    void setBoolean(int index, boolean value) throws SQLException;

    void setTimestamp(int index, Timestamp value) throws SQLException;

    /** A value whose SQL type the driver infers from its Java type; null for SQL NULL. */
    void setObject(int index, Object value) throws SQLException;

    /** A value sent as {@code sqlType} ({@link java.sql.Types}); {@code Types.OTHER} leaves the type to the server. */
    void setObject(int index, Object value, int sqlType) throws SQLException;

    /** SQL NULL of {@code sqlType} ({@link java.sql.Types}), for a column whose type the statement does not fix. */
    void setNull(int index, int sqlType) throws SQLException;

    /** A row's parameters on {@code statement}, its first parameter there being number {@code offset + 1}. */
    static Parameters at(PreparedStatement statement, int offset) {
        return new Parameters() {

            @Override
            public void setString(int index, String value) throws SQLException {
                statement.setString(offset + index, value);
            }

            @Override
            public void setInt(int index, int value) throws SQLException {
                statement.setInt(offset + index, value);
            }

            @Override
            public void setLong(int index, long value) throws SQLException {
                statement.setLong(offset + index, value);
            }

            @Override
            public void setBoolean(int index, boolean value) throws SQLException {
                statement.setBoolean(offset + index, value);
            }

            @Override
            public void setTimestamp(int index, Timestamp value) throws SQLException {
                statement.setTimestamp(offset + index, value);
            }

            @Override
            public void setObject(int index, Object value) throws SQLException {
                statement.setObject(offset + index, value);
            }

            @Override
            public void setObject(int index, Object value, int sqlType) throws SQLException {
                statement.setObject(offset + index, value, sqlType);
            }

            @Override
            public void setNull(int index, int sqlType) throws SQLException {
                statement.setNull(offset + index, sqlType);
            }
        };
    }
}
