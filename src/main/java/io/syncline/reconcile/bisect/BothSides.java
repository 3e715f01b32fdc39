package io.syncline.reconcile.bisect;

import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Side A's work on the calling thread, side B's on a thread of its own: each waits on its own
 * database. A failure of either side is thrown as it was thrown.
 */
public final class BothSides {

    private BothSides() {
    }

    /** One side's work; {@code X} is what it may throw besides SQL failures. */
    @FunctionalInterface
    public interface Work<T, X extends Exception> {

        T call() throws SQLException, X;
    }

    /** What each side's work returned. */
    public record Results<T>(T a, T b) {
    }

    @SuppressWarnings("unchecked")
    public static <T, X extends Exception> Results<T> run(String threadName, Work<T, X> a, Work<T, X> b)
            throws SQLException, X, InterruptedException {
        FutureTask<T> sideB = new FutureTask<>(b::call);
        Thread thread = new Thread(sideB, threadName);
        thread.setDaemon(true);
        thread.start();
        T resultA;
        try {
            resultA = a.call();
        } catch (Exception | Error e) {
            // Never leave side B working behind a failure of side A.
            sideB.cancel(false);
            thread.join();
            throw e;
        }
        try {
            return new Results<>(resultA, sideB.get());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            // Work<T, X> throws nothing else checked.
            throw (X) cause;
        }
    }
}
