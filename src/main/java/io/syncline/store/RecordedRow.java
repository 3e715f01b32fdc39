package io.syncline.store;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * A row's parameters taken down when the row is written and bound again when it is sent: a
 * held-back row keeps the values of the moment it was written.
 */
final class RecordedRow implements Parameters, Writes.Row {

    @FunctionalInterface
    private interface Binding {

        void bind(Parameters parameters) throws SQLException;
    }

    private final List<Binding> bindings = new ArrayList<>();

    static RecordedRow of(Writes.Row row) throws SQLException {
        RecordedRow recorded = new RecordedRow();
        row.bind(recorded);
        return recorded;
    }

    @Override
    public void bind(Parameters parameters) throws SQLException {
        for (Binding binding : bindings) {
            binding.bind(parameters);
        }
    }

    @Override
    public void setString(int index, String value) {
        bindings.add(parameters -> parameters.setString(index, value));
    }

    @Override
    public void setInt(int index, int value) {
        bindings.add(parameters -> parameters.setInt(index, value));
    }

    @Override
    public void setLong(int index, long value) {
        bindings.add(parameters -> parameters.setLong(index, value));
    }

    @Override
    public void setBoolean(int index, boolean value) {
        bindings.add(parameters -> parameters.setBoolean(index, value));
    }

    @Override
    public void setTimestamp(int index, Timestamp value) {
        bindings.add(parameters -> parameters.setTimestamp(index, value));
    }

    @Override
    public void setObject(int index, Object value) {
        bindings.add(parameters -> parameters.setObject(index, value));
    }

    @Override
    public void setObject(int index, Object value, int sqlType) {
        bindings.add(parameters -> parameters.setObject(index, value, sqlType));
    }

    @Override
    public void setNull(int index, int sqlType) {
        bindings.add(parameters -> parameters.setNull(index, sqlType));
    }
}
