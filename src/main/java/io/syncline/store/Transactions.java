package io.syncline.store;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/** Runs JDBC work in one local transaction, on the state store or a target database: all of it commits, or none. */
public final class Transactions {

    /** Work on a connection whose auto-commit is off. */
    @FunctionalInterface
    public interface Work<T> {

        T run(Connection connection) throws SQLException;
    }

    private Transactions() {
    }

    public static <T> T inTransaction(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return inTransaction(connection, work);
        }
    }

    /** Work in a transaction of its own on a connection the caller holds, whose auto-commit is then as before. */
    public static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
