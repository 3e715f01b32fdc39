package io.syncline.failure;

import java.sql.SQLException;

/**
 * A failure no retry can mend: the data or the request is wrong. The exception that finds it says
 * so where it is thrown, by implementing this interface (a record its contract rejects, a write
 * the target refused, an apply route that left its sync unit open); a database refusing the
 * values themselves says so by its SQLState. The inbox makes such an event a dead letter at its
 * first attempt, with the reason; every other failure is transient and retried with backoff.
 */
public interface PermanentFailure {

    /** Whether {@code failure} is permanent: one of these, or a data error of the database. */
    static boolean isPermanent(Throwable failure) {
        return failure instanceof PermanentFailure || isDataError(failure);
    }

    /**
     * A database refusing the values themselves (SQLState class 22, data exception, or 23,
     * integrity constraint, e.g. a NOT NULL or foreign key), or the driver refusing a value it has
     * no column type for (07006: an object or a list from a source's nested field, bound to a plain
     * column): retrying cannot help. A unique violation (23505) is left to retry: two workers
     * racing to insert the same state row succeed on the next attempt. Nested values themselves
     * are not refused earlier: an HTTP target takes them, and reconciliation compares them.
     */
    static boolean isDataError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return state.startsWith("22") || state.equals("07006") || state.startsWith("23") && !state.equals("23505");
            }
        }
        return false;
    }
}
