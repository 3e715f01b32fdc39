package io.syncline.poll;

import io.syncline.store.Rows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * A key diff's two sides in temporary tables of one state-store connection: the keys Syncline
 * knows for the system, with the time of the last change it synced of each, and the keys the
 * system has now, each inserted in batches as they stream in. The known keys the system no longer
 * has are then found by one anti-join in the database and read back in key order a page at a time:
 * whatever the tables' size, memory holds a batch. The tables are the session's own (no other run
 * sees them, nothing is logged for them) and are dropped when the diff closes, and before it
 * starts should a pooled connection still carry them.
 */
final class KeyDiffStaging implements AutoCloseable {

    static final int BATCH = 1000;
    private static final String[] TABLES = {"key_diff_known", "key_diff_present", "key_diff_missing"};

    /** A known key the system no longer has, with the time of the last change Syncline synced of it. */
    record Missing(String key, Instant knownAt) {
    }

    private final Connection connection;
    private final PreparedStatement known;
    private final PreparedStatement present;
    private int knownBatch;
    private int presentBatch;

    /** @param connection a state-store connection in autocommit, this diff's alone until it closes */
    KeyDiffStaging(Connection connection) throws SQLException {
        this.connection = connection;
        drop();
        try (Statement create = connection.createStatement()) {
            create.execute("CREATE LOCAL TEMPORARY TABLE key_diff_known (record_key VARCHAR(500) NOT NULL,"
                    + " known_at TIMESTAMP WITH TIME ZONE)");
            create.execute("CREATE LOCAL TEMPORARY TABLE key_diff_present (record_key VARCHAR(500) NOT NULL)");
            create.execute("CREATE LOCAL TEMPORARY TABLE key_diff_missing (record_key VARCHAR(500) NOT NULL PRIMARY KEY,"
                    + " known_at TIMESTAMP WITH TIME ZONE)");
        }
        known = connection.prepareStatement("INSERT INTO key_diff_known (record_key, known_at) VALUES (?, ?)");
        present = connection.prepareStatement("INSERT INTO key_diff_present (record_key) VALUES (?)");
    }

    /** A key Syncline knows for the system. */
    void known(String key, Instant knownAt) throws SQLException {
        known.setString(1, key);
        known.setTimestamp(2, knownAt == null ? null : Timestamp.from(knownAt));
        known.addBatch();
        if (++knownBatch == BATCH) {
            known.executeBatch();
            knownBatch = 0;
        }
    }

    /** A key the system has. */
    void present(String key) throws SQLException {
        present.setString(1, key);
        present.addBatch();
        if (++presentBatch == BATCH) {
            present.executeBatch();
            presentBatch = 0;
        }
    }

    /** How many keys Syncline knows for the system (once both sides are in). */
    long knownCount() throws SQLException {
        flush();
        try (Statement count = connection.createStatement();
                ResultSet rows = count.executeQuery("SELECT count(DISTINCT record_key) FROM key_diff_known")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Finds the known keys the system no longer has; how many. */
    long findMissing() throws SQLException {
        flush();
        try (Statement insert = connection.createStatement()) {
            return insert.executeUpdate("INSERT INTO key_diff_missing (record_key, known_at) SELECT k.record_key, max(k.known_at)"
                    + " FROM key_diff_known k WHERE NOT EXISTS (SELECT 1 FROM key_diff_present p WHERE p.record_key = k.record_key)"
                    + " GROUP BY k.record_key");
        }
    }

    /** The missing keys after {@code after} (null: from the first), in key order, at most {@value #BATCH}. */
    List<Missing> missingAfter(String after) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(after == null
                ? "SELECT record_key, known_at FROM key_diff_missing ORDER BY record_key LIMIT " + BATCH
                : "SELECT record_key, known_at FROM key_diff_missing WHERE record_key > ? ORDER BY record_key LIMIT " + BATCH)) {
            if (after != null) {
                select.setString(1, after);
            }
            return Rows.list(select, rows -> {
                Timestamp at = rows.getTimestamp(2);
                return new Missing(rows.getString(1), at == null ? null : at.toInstant());
            });
        }
    }

    private void flush() throws SQLException {
        if (knownBatch > 0) {
            known.executeBatch();
            knownBatch = 0;
        }
        if (presentBatch > 0) {
            present.executeBatch();
            presentBatch = 0;
        }
    }

    @Override
    public void close() throws SQLException {
        try (known; present) {
            drop();
        }
    }

    private void drop() throws SQLException {
        try (Statement drop = connection.createStatement()) {
            for (String table : TABLES) {
                drop.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }
}
