package io.syncline.reconcile;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * The staging table {@code reconciliation_record}: each side's records of a run, written a
 * page at a time, diffed in SQL with a FULL OUTER JOIN on the key and streamed back a row at a
 * time, so that the Java heap holds a page and a batch, never a side.
 */
final class StagingRepository {

    /** Rows per INSERT statement: multi-row VALUES, well under PostgreSQL's 65535 parameters. */
    private static final int ROWS_PER_STATEMENT = 1000;
    private static final int FETCH_SIZE = 1000;

    private static final String JOIN = "SELECT COALESCE(a.record_key, b.record_key), a.version_hash, b.version_hash,"
            + " a.record_at, b.record_at, a.record_values, b.record_values"
            + " FROM (SELECT * FROM reconciliation_record WHERE run_id = ? AND side = 'A') a"
            + " FULL OUTER JOIN (SELECT * FROM reconciliation_record WHERE run_id = ? AND side = 'B') b"
            + " ON a.record_key = b.record_key"
            + " WHERE a.version_hash IS DISTINCT FROM b.version_hash";

    @FunctionalInterface
    interface RowHandler {
        void handle(DiffRow row) throws SQLException;
    }

    private final DataSource dataSource;

    StagingRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @return how many were new keys for the side; a key seen twice is staged once */
    long insert(long runId, char side, List<StagedRecord> records) throws SQLException {
        long inserted = 0;
        try (Connection connection = dataSource.getConnection()) {
            for (int from = 0; from < records.size(); from += ROWS_PER_STATEMENT) {
                List<StagedRecord> chunk = records.subList(from, Math.min(records.size(), from + ROWS_PER_STATEMENT));
                StringBuilder sql = new StringBuilder("INSERT INTO reconciliation_record"
                        + " (run_id, side, record_key, version_hash, record_at, record_values) VALUES ");
                for (int i = 0; i < chunk.size(); i++) {
                    sql.append(i == 0 ? "(?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?)");
                }
                sql.append(" ON CONFLICT DO NOTHING");
                try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
                    int index = 1;
                    String sideText = String.valueOf(side);
                    for (StagedRecord record : chunk) {
                        insert.setLong(index++, runId);
                        insert.setString(index++, sideText);
                        insert.setString(index++, record.key());
                        insert.setString(index++, record.versionHash());
                        insert.setTimestamp(index++, record.recordAt() == null ? null : Timestamp.from(record.recordAt()));
                        insert.setString(index++, record.values());
                    }
                    inserted += insert.executeUpdate();
                }
            }
        }
        return inserted;
    }

    /** Streams every key whose sides differ (absent on one side, or another hash). */
    void differing(long runId, RowHandler handler) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            // PostgreSQL streams with a cursor only inside a transaction.
            connection.setAutoCommit(false);
            try (PreparedStatement select = connection.prepareStatement(JOIN)) {
                select.setFetchSize(FETCH_SIZE);
                select.setLong(1, runId);
                select.setLong(2, runId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        handler.handle(new DiffRow(rows.getString(1), rows.getString(2), rows.getString(3),
                                instant(rows.getTimestamp(4)), instant(rows.getTimestamp(5)), rows.getString(6), rows.getString(7)));
                    }
                }
            } finally {
                connection.commit();
                connection.setAutoCommit(true);
            }
        }
    }

    /**
     * Refreshes the planner's statistics after a run staged its rows: a table that grew from
     * nothing to millions of rows since the last autovacuum would otherwise be planned as tiny.
     */
    void analyze() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            if (connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres")) {
                statement.execute("ANALYZE reconciliation_record");
            }
        }
    }

    void delete(long runId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM reconciliation_record WHERE run_id = ?")) {
            delete.setLong(1, runId);
            delete.executeUpdate();
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
