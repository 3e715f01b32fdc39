package io.syncline.store;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/** Runs JDBC work in one local transaction, on the state store or a target database: all of it commits, or none. */
public final class Transactions {

    /**
     * Work on a connection whose auto-commit is off; besides SQL errors it may throw {@code X} (such
     * as an event it cannot serialize), which rolls the transaction back as well.
     */
    @FunctionalInterface
    public interface Work<T, X extends Exception> {

        T run(Connection connection) throws SQLException, X;
    }

    private Transactions() {
    }

    public static <T, X extends Exception> T inTransaction(DataSource dataSource, Work<T, X> work) throws SQLException, X {
        try (Connection connection = dataSource.getConnection()) {
            return inTransaction(connection, work);
        }
    }

    /** Work in a transaction of its own on a connection the caller holds, whose auto-commit is then as before. */
    public static <T, X extends Exception> T inTransaction(Connection connection, Work<T, X> work) throws SQLException, X {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (Exception e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
