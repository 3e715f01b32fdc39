package io.syncline.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A row's parameters taken down when the row is written and bound again when it is sent: a
 * held-back row keeps the values of the moment it was written.
 */
final class RecordedRow implements Parameters, Writes.Row {

    private final List<Writes.Row> bindings = new ArrayList<>();

    static RecordedRow of(Writes.Row row) throws SQLException {
        RecordedRow recorded = new RecordedRow();
        row.bind(recorded);
        return recorded;
    }

    @Override
    public void bind(Parameters parameters) throws SQLException {
        for (Writes.Row binding : bindings) {
            binding.bind(parameters);
        }
    }

    @Override
    public void set(int index, Setter setter) {
        bindings.add(parameters -> parameters.set(index, setter));
    }
}
