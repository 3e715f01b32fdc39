package io.syncline.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * The WHERE clause of a filtered list, made of the filters that are given only: each condition
 * is SQL the caller writes with {@code ?} for its values, which are bound in order. A filter left
 * out leaves no {@code (? IS NULL OR …)} behind, so that the plan of each query reads the index
 * its filters have instead of one plan for every combination.
 */
public final class Conditions {

    private final List<String> conditions = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    /** {@code condition} with its values, unless {@code given} is null (the filter is absent). */
    public Conditions when(Object given, String condition, Object... conditionValues) {
        if (given != null) {
            add(condition, conditionValues);
        }
        return this;
    }

    /** {@code column IN (?, …)} for the values, unless there are none. */
    public Conditions in(String column, Collection<?> inValues) {
        if (inValues != null && !inValues.isEmpty()) {
            add(column + " IN (" + String.join(", ", Collections.nCopies(inValues.size(), "?")) + ")", inValues.toArray());
        }
        return this;
    }

    public Conditions add(String condition, Object... conditionValues) {
        conditions.add(condition);
        values.addAll(List.of(conditionValues));
        return this;
    }

    /** {@code " WHERE a AND b"}, or nothing when no filter is given. */
    public String where() {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    /** Binds the values from parameter 1; the next free parameter's index. */
    public int bind(PreparedStatement statement) throws SQLException {
        int index = 1;
        for (Object value : values) {
            if (value instanceof Instant instant) {
                statement.setTimestamp(index++, Timestamp.from(instant));
            } else {
                statement.setObject(index++, value);
            }
        }
        return index;
    }
}
