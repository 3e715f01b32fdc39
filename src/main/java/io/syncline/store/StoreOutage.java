package io.syncline.store;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database that cannot be reached from one that refused a statement. A sender hearing
 * the first should retry later; the second is a fault of ours or of the data.
 */
public final class StoreOutage {

    private StoreOutage() {
    }

    /**
     * True when {@code failure} or one of its causes says the connection is gone or cannot be
     * made: SQLState class 08 (connection exception: refused, broken, closed) or 57P (the
     * server is shutting down, was restarted, or is still starting up: what a pooled connection
     * reports after a PostgreSQL restart), a JDBC connection exception type, a read that timed
     * out, or the pool's acquisition timeout: no connection could be had within its bound (every
     * one busy waiting on an unreachable store, or none could be opened).
     */
    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException || isAcquisitionTimeout(t)) {
                return true;
            }
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    /** Agroal's: a plain SQLException without SQLState, known only by its message. */
    private static boolean isAcquisitionTimeout(Throwable t) {
        return t instanceof SQLException sql && sql.getSQLState() == null && sql.getMessage() != null
                && (sql.getMessage().startsWith("Acquisition timeout") || sql.getMessage().startsWith("Sorry, acquisition timeout"));
    }
}
