package io.syncline.capture;

import io.agroal.api.AgroalDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Which replica runs a capture: the one holding a PostgreSQL advisory lock on the state store,
 * on a connection it keeps open while it captures. When that replica dies, its session ends and
 * the server releases the lock; another replica's next try takes it. The embedded store (H2)
 * serves one process, which captures without a lock.
 */
final class CaptureLock implements AutoCloseable {

    /** The advisory locks' first key, "SYNC": apart from any lock of another application on the store. */
    private static final int NAMESPACE = 0x53594e43;

    private final Connection connection;
    private final String capture;
    private final boolean advisory;

    private CaptureLock(Connection connection, String capture, boolean advisory) {
        this.connection = connection;
        this.capture = capture;
        this.advisory = advisory;
    }

    /** The capture's lock, or null while another replica holds it. */
    static CaptureLock tryAcquire(AgroalDataSource store, String capture) throws SQLException {
        Connection connection = store.getConnection();
        try {
            if (!"PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
                return new CaptureLock(connection, capture, false);
            }
            connection.setAutoCommit(true);
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
                lock.setInt(1, NAMESPACE);
                lock.setInt(2, capture.hashCode());
                try (ResultSet result = lock.executeQuery()) {
                    if (result.next() && result.getBoolean(1)) {
                        return new CaptureLock(connection, capture, true);
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        connection.close();
        return null;
    }

    /** Whether the lock is still this replica's: its session is alive. */
    boolean held() {
        try {
            return connection.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try (connection) {
            if (advisory && !connection.isClosed()) {
                try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
                    unlock.setInt(1, NAMESPACE);
                    unlock.setInt(2, capture.hashCode());
                    unlock.execute();
                }
            }
        } catch (SQLException e) {
            // the session is gone, and the lock with it
        }
    }
}
