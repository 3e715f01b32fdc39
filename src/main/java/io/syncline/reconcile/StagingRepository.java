package io.syncline.reconcile;

import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import javax.sql.DataSource;

/**
 * The staging table {@code reconciliation_record}: one UNLOGGED partition per run and side,
 * filled by binary COPY ({@link StagingCopy}), diffed in SQL with a FULL OUTER JOIN on the key,
 * streamed back a row at a time, and dropped when the run ends. The Java heap holds a few pages
 * and a batch of differences, never a side.
 *
 * <p>The run's statements name its partitions directly, never the parent: a query through the
 * parent would lock every run's partitions, and a run attaching or dropping its own would wait
 * for it.
 */
final class StagingRepository {

    private static final int FETCH_SIZE = 1000;
    private static final Pattern PARTITION = Pattern.compile("reconciliation_record_[0-9]+_[ab]");

    private static final String JOIN = "SELECT COALESCE(a.record_key, b.record_key), a.values_at, b.values_at,"
            + " a.record_at, b.record_at FROM %s a FULL OUTER JOIN %s b ON a.record_key = b.record_key"
            + " WHERE a.version_hash IS DISTINCT FROM b.version_hash";

    /** Partitions of runs that are over (a replica died before dropping them): nobody will read them again. */
    private static final String LEFT_BEHIND = "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            + " JOIN reconciliation_run r ON c.relname IN ('reconciliation_record_' || r.id || '_a', 'reconciliation_record_' || r.id || '_b')"
            + " WHERE i.inhparent = 'reconciliation_record'::regclass AND r.status <> 'running'";

    /** One key whose sides differ; a side without the key has no value offset. */
    record Pair(String key, Long valuesAtA, Long valuesAtB, Instant atA, Instant atB) {
    }

    @FunctionalInterface
    interface PairHandler {

        void handle(Pair pair) throws Exception;
    }

    private final DataSource dataSource;

    StagingRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates the run's two empty partitions, first dropping those that finished runs left behind. */
    void create(long runId) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            List<String> leftBehind = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(LEFT_BEHIND)) {
                while (rows.next()) {
                    leftBehind.add(rows.getString(1));
                }
            }
            for (String partition : leftBehind) {
                if (PARTITION.matcher(partition).matches()) {
                    statement.execute("DROP TABLE IF EXISTS " + partition);
                }
            }
            for (char side : new char[]{'A', 'B'}) {
                String partition = partition(runId, side);
                // Created alone, then attached: attaching needs a weaker lock on the parent than CREATE ... PARTITION OF.
                statement.execute("CREATE UNLOGGED TABLE " + partition + " (LIKE reconciliation_record)");
                statement.execute("ALTER TABLE reconciliation_record ATTACH PARTITION " + partition + " FOR VALUES FROM ("
                        + runId + ", '" + side + "') TO (" + runId + ", '" + (char) (side + 1) + "')");
            }
        }
    }

    /** A binary COPY into the side's partition, on a connection of its own. */
    StagingCopy copy(long runId, char side) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            return new StagingCopy(connection, connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY "
                    + partition(runId, side) + " (run_id, side, record_key, version_hash, record_at, values_at)"
                    + " FROM STDIN (FORMAT binary)"), runId, side);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** How many staged records repeat a key of the side. */
    long duplicates(long runId, char side) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) - COUNT(DISTINCT record_key) FROM " + partition(runId, side))) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Fresh planner statistics for the join: a partition that grew from nothing to a million rows would otherwise be planned blind. */
    void analyze(long runId, char side) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE " + partition(runId, side));
        }
    }

    /** Streams every key whose sides differ (absent on one side, or another hash). */
    void differing(long runId, PairHandler handler) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            // PostgreSQL streams with a cursor only inside a transaction.
            connection.setAutoCommit(false);
            try (PreparedStatement select = connection.prepareStatement(
                    String.format(JOIN, partition(runId, 'A'), partition(runId, 'B')))) {
                select.setFetchSize(FETCH_SIZE);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        handler.handle(new Pair(rows.getString(1), (Long) rows.getObject(2, Long.class),
                                (Long) rows.getObject(3, Long.class), instant(rows.getTimestamp(4)), instant(rows.getTimestamp(5))));
                    }
                }
            } finally {
                connection.commit();
                connection.setAutoCommit(true);
            }
        }
    }

    void drop(long runId) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + partition(runId, 'A') + ", " + partition(runId, 'B'));
        }
    }

    private static String partition(long runId, char side) {
        return "reconciliation_record_" + runId + "_" + Character.toLowerCase(side);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
