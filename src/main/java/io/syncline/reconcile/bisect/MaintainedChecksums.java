package io.syncline.reconcile.bisect;

import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.syncline.reconcile.bisect.ChecksumQueries.mask;

/**
 * Checksums the side's database keeps as its table changes ({@link ChecksumTriggers} installs
 * what keeps them): a run adds up the per-statement deltas of each segment instead of hashing
 * every record, and reads the records of differing segments by index. The values are those
 * {@link ComputedChecksums} would compute, from the same expressions. Adding up the deltas is a
 * read; once they are several rows per segment, the run compacts them.
 *
 * <p>The cost moves to the table's writers: each statement that writes the table also hashes the
 * records it wrote, inserts them into the rows table and appends one delta per segment it touched.
 */
public final class MaintainedChecksums extends TableChecksums {

    private static final Logger LOG = Logger.getLogger(MaintainedChecksums.class);

    /** Bits of the first level's segments: the segments the database keeps deltas for. */
    public static final int SEGMENT_BITS = 12;
    /** The segment the deltas of keyless records are kept under. */
    static final int UNKEYED = -1;
    /** Delta rows per segment beyond which a run compacts them. */
    private static final int COMPACT_AFTER = 4;

    private final String name;

    private MaintainedChecksums(String system, Connection connection, ChecksumForm form, String name, String note) {
        super(system, connection, form, note);
        this.name = name;
    }

    /**
     * The side's maintained checksums, installed first when they are missing or were built for
     * another form and {@code mayInstall} (a dry run does not install).
     *
     * @throws ChecksumForm.NotExpressible they are not there and may not be installed, or cannot be kept for this table
     */
    public static MaintainedChecksums open(String job, String system, Connection connection, ChecksumForm form, boolean mayInstall)
            throws SQLException, ChecksumForm.NotExpressible {
        String name = ChecksumTriggers.name(job, system, form.table());
        if (ChecksumTriggers.current(connection, name, form)) {
            return new MaintainedChecksums(system, connection, form, name, "maintained checksums");
        }
        if (!mayInstall) {
            throw new ChecksumForm.NotExpressible("maintained checksums are not installed for this contract, and a dry run does not"
                    + " install them");
        }
        long started = System.nanoTime();
        long records = ChecksumTriggers.install(connection, job, system, name, form);
        String note = records < 0 ? "maintained checksums"
                : "maintained checksums installed (" + records + " records hashed in " + (System.nanoTime() - started) / 1_000_000 + " ms)";
        return new MaintainedChecksums(system, connection, form, name, note);
    }

    @Override
    public Map<Long, Checksum> segments(int bits, int parentBits, List<Long> parents) throws SQLException {
        Map<Long, Checksum> segments = new HashMap<>();
        if (parents == null && bits == SEGMENT_BITS) {
            long[] deltas = new long[1];
            ChecksumQueries.query(system, connection, "SELECT segment, SUM(records), SUM(hash_sum), COUNT(*) FROM " + name + "_deltas"
                    + " GROUP BY segment HAVING SUM(records) <> 0", rows -> {
                        long segment = rows.getLong(1);
                        segments.put(segment == UNKEYED ? null : segment, new Checksum(rows.getLong(2), rows.getBigDecimal(3)));
                        deltas[0] += rows.getLong(4);
                    });
            if (deltas[0] > COMPACT_AFTER * Math.max(segments.size(), 1)) {
                compact();
            }
            return segments;
        }
        if (parents == null || parentBits < SEGMENT_BITS) {
            throw new IllegalArgumentException("maintained checksums split segments of " + SEGMENT_BITS + " bits or more");
        }
        ChecksumQueries.query(system, connection, "SELECT key_hash & " + mask(bits) + ", COUNT(*), SUM(row_hash) FROM " + name + "_rows"
                + " WHERE segment = ANY(?) AND (key_hash & " + mask(parentBits) + ") = ANY(?) GROUP BY 1",
                rows -> segments.put(rows.getLong(1), new Checksum(rows.getLong(2), rows.getBigDecimal(3))),
                firstLevel(parents), parents);
        return segments;
    }

    @Override
    public Map<String, RecordHash> records(int bits, List<Long> segments) throws SQLException {
        Map<String, RecordHash> records = new HashMap<>();
        ChecksumQueries.RowReader reader = rows -> records.put(rows.getString(1), new RecordHash(rows.getObject(2), rows.getLong(3)));
        String select = "SELECT key_text, raw_key, row_hash FROM " + name + "_rows WHERE segment = ANY(?)";
        if (bits == SEGMENT_BITS) {
            ChecksumQueries.query(system, connection, select, reader, segments);
        } else {
            // Finer segments: each row of their first-level segments checked against them (an array search per row,
            // which doubles the cost of this read; worth it only here).
            ChecksumQueries.query(system, connection, select + " AND (key_hash & " + mask(bits) + ") = ANY(?)", reader,
                    firstLevel(segments), segments);
        }
        return records;
    }

    @Override
    protected String repeatedQuery() {
        return "SELECT COUNT(*) - COUNT(DISTINCT key_text) FROM " + name + "_rows";
    }

    /**
     * Replaces the deltas by one row per segment, so that the next run adds up a few thousand rows
     * again; one run at a time (the lock), so that two runs never each take half of them. Writers
     * go on appending meanwhile: what they append after the delete's snapshot stays for the next
     * compaction. Then a VACUUM of the small table, as a server without autovacuum would not.
     */
    private void compact() throws SQLException {
        String deltas = name + "_deltas";
        ChecksumQueries.query(system, connection, "SELECT pg_advisory_xact_lock(hashtext('" + deltas + "'))",
                "WITH gone AS (DELETE FROM " + deltas + " RETURNING segment, records, hash_sum)"
                        + " INSERT INTO " + deltas + " SELECT segment, SUM(records), SUM(hash_sum) FROM gone"
                        + " GROUP BY segment HAVING SUM(records) <> 0 RETURNING segment",
                rows -> {
                });
        if (connection.getAutoCommit()) {
            try (Statement vacuum = connection.createStatement()) {
                vacuum.execute("VACUUM " + deltas);
            } catch (SQLException e) {
                // Harmless: the dead rows stay until (auto)vacuum; the sums are right either way.
                LOG.debugf("%s: VACUUM %s failed: %s", system, deltas, e.getMessage());
            }
        }
    }

    /** The first-level segments (the indexed column) the given finer segments lie in. */
    private static List<Long> firstLevel(List<Long> segments) {
        return segments.stream().map(segment -> segment & mask(SEGMENT_BITS)).distinct().toList();
    }
}
