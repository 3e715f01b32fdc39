package io.syncline.reconcile.bisect;

import io.syncline.connector.spi.SqlDatabase;
import io.syncline.model.EntityDefinition;
import io.syncline.model.SystemMapping;
import io.syncline.reconcile.bisect.SegmentChecksums.Checksum;
import io.syncline.reconcile.bisect.SegmentChecksums.RecordHash;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Finds the keys where two PostgreSQL tables differ without reading their records out: both
 * databases checksum their records by segment (the low bits of a hash of the canonical key), the
 * segments whose checksums differ are split again by more bits of the same hash, down to where
 * the records of the differing segments are few enough to compare one hash per record; only the
 * keys whose hashes differ (or that one side lacks) are then pulled through the normal path.
 *
 * <p>Segments are hash buckets rather than key ranges (as data-diff and reladiff use): every
 * level reads each table once with one GROUP BY, whatever its keys look like, and the few
 * differences of a nightly run land in few buckets however the keys are spread. A segment's
 * checksum is its record count and the (exact, numeric) sum of its records' 64-bit hashes: one
 * aggregate of the record hash, because PostgreSQL computes the hash once per aggregate that
 * names it (a second aggregate, the XOR this once had, doubled the cost of every level).
 *
 * <p>Where the checksums come from is each side's {@link SegmentChecksums}: computed from the
 * table at each run, or kept by the database as the table changes.
 */
public final class ChecksumBisection {

    private static final int BITS_PER_LEVEL = MaintainedChecksums.SEGMENT_BITS;
    private static final int MAX_LEVELS = 5;
    private static final String THREAD = "reconcile-checksums-b";

    private final long rowLimit;
    private final double maxShare;

    /**
     * @param rowLimit records of differing segments compared one by one, in memory (about 100 bytes each)
     * @param maxShare above this share of a side in differing segments, pulling everything costs less
     */
    public ChecksumBisection(long rowLimit, double maxShare) {
        this.rowLimit = rowLimit;
        this.maxShare = maxShare;
    }

    /**
     * What the checksums found.
     *
     * @param records  rows of each side, keyless ones included
     * @param unkeyed  rows without a key (the full pull would not stage them either)
     * @param repeated rows repeating a key of their side
     * @param keysA    raw key values of side A to pull (differing keys side A has)
     */
    public record Outcome(long recordsA, long recordsB, long unkeyedA, long unkeyedB, long repeatedA, long repeatedB,
            List<Object> keysA, List<Object> keysB, String summary) {
    }

    /** Bisection would not pay, or cannot run; the run pulls in full and says why. */
    public static final class Fallback extends Exception {

        public Fallback(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * The side's table as its database describes it, and its checksum form.
     *
     * @param table the table that holds the mapping's records ({@link SqlDatabase#table})
     */
    public static ChecksumForm form(String system, Connection connection, EntityDefinition entity, SystemMapping mapping,
            String table, List<String> compare) throws SQLException, ChecksumForm.NotExpressible {
        if (!SqlDatabase.isIdentifier(table) || !SqlDatabase.isIdentifier(mapping.key())) {
            throw new ChecksumForm.NotExpressible(system + ": table '" + table + "' and key '" + mapping.key()
                    + "' must be plain SQL identifiers");
        }
        DatabaseMetaData database = connection.getMetaData();
        String product = database.getDatabaseProductName();
        if (!"PostgreSQL".equals(product)) {
            throw new ChecksumForm.NotExpressible(system + " is " + product + "; bisection computes its checksums with PostgreSQL functions");
        }
        if (database.getDatabaseMajorVersion() < 11) {
            throw new ChecksumForm.NotExpressible(system + " runs PostgreSQL " + database.getDatabaseProductVersion()
                    + "; bisection hashes records with the 64-bit hash functions new in PostgreSQL 11");
        }
        Map<String, ChecksumForm.Column> columns = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet none = statement.executeQuery("SELECT * FROM " + table + " WHERE false")) {
            ResultSetMetaData meta = none.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                // Keyed as the JDBC puller keys a row, so that a path finds here what it finds there.
                columns.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), new ChecksumForm.Column(meta.getColumnLabel(i),
                        meta.getColumnTypeName(i)));
            }
        }
        return ChecksumForm.of(system, entity, mapping, table, compare, columns, uniqueColumns(connection, table));
    }

    /** Columns with a unique index of their own: keys read from one need no check for repeats. */
    private static Set<String> uniqueColumns(Connection connection, String table) throws SQLException {
        Map<String, List<String>> indexes = new HashMap<>();
        DatabaseMetaData meta = connection.getMetaData();
        // Unquoted in the pull's SQL, so folded to lower case by PostgreSQL.
        try (ResultSet rows = meta.getIndexInfo(null, null, table.toLowerCase(Locale.ROOT), true, true)) {
            while (rows.next()) {
                if (rows.getString("INDEX_NAME") != null && rows.getString("FILTER_CONDITION") == null) {
                    indexes.computeIfAbsent(rows.getString("INDEX_NAME"), name -> new ArrayList<>()).add(rows.getString("COLUMN_NAME"));
                }
            }
        }
        Set<String> unique = new HashSet<>();
        indexes.values().stream().filter(columns -> columns.size() == 1).forEach(columns -> unique.add(columns.get(0)));
        return unique;
    }

    /**
     * @throws Fallback the differing segments hold too large a share of the records to be worth it
     */
    public Outcome run(SegmentChecksums a, SegmentChecksums b) throws SQLException, Fallback, InterruptedException {
        // Level 1 reads each table whole: its keyless rows (segment null) and totals come with it.
        BothSides.Results<Map<Long, Checksum>> first = BothSides.run(THREAD, () -> a.segments(BITS_PER_LEVEL, 0, null),
                () -> b.segments(BITS_PER_LEVEL, 0, null));
        Map<Long, Checksum> levelA = first.a();
        Map<Long, Checksum> levelB = first.b();
        Checksum unkeyedA = levelA.remove(null);
        Checksum unkeyedB = levelB.remove(null);
        long recordsA = total(levelA) + (unkeyedA == null ? 0 : unkeyedA.count());
        long recordsB = total(levelB) + (unkeyedB == null ? 0 : unkeyedB.count());
        long largest = Math.max(Math.max(recordsA, recordsB), 1);
        int bits = BITS_PER_LEVEL;
        List<Long> differing = differing(levelA, levelB);
        long rows = rows(differing, levelA, levelB);
        StringBuilder summary = new StringBuilder();
        for (SegmentChecksums side : List.of(a, b)) {
            if (side.note() != null) {
                summary.append(side.system()).append(": ").append(side.note()).append("; ");
            }
        }
        summary.append(levelA.size()).append(" / ").append(levelB.size())
                .append(" segments, ").append(differing.size()).append(" differing");
        for (int level = 2; rows > rowLimit && level <= MAX_LEVELS; level++) {
            if (rows > maxShare * largest) {
                throw tooMany(rows, largest);
            }
            int previous = bits;
            bits += BITS_PER_LEVEL;
            int split = bits;
            List<Long> parents = differing;
            BothSides.Results<Map<Long, Checksum>> next = BothSides.run(THREAD, () -> a.segments(split, previous, parents),
                    () -> b.segments(split, previous, parents));
            levelA = next.a();
            levelB = next.b();
            differing = differing(levelA, levelB);
            rows = rows(differing, levelA, levelB);
            summary.append("; split by ").append(bits).append(" bits: ").append(differing.size()).append(" differing");
        }
        if (rows > maxShare * largest || rows > rowLimit) {
            throw tooMany(rows, largest);
        }
        int finalBits = bits;
        List<Long> segments = differing;
        BothSides.Results<Map<String, RecordHash>> records = BothSides.run(THREAD, () -> a.records(finalBits, segments),
                () -> b.records(finalBits, segments));
        List<Object> keysA = differingKeys(records.a(), records.b());
        List<Object> keysB = differingKeys(records.b(), records.a());
        summary.append("; ").append(rows).append(" records compared by hash, ").append(keysA.size()).append(" / ")
                .append(keysB.size()).append(" keys to pull");
        BothSides.Results<Long> repeated = BothSides.run(THREAD, a::repeated, b::repeated);
        return new Outcome(recordsA, recordsB, unkeyedA == null ? 0 : unkeyedA.count(), unkeyedB == null ? 0 : unkeyedB.count(),
                repeated.a(), repeated.b(), keysA, keysB, summary.toString());
    }

    /** Raw keys of {@code side}'s records that {@code other} lacks or holds with another hash. */
    private static List<Object> differingKeys(Map<String, RecordHash> side, Map<String, RecordHash> other) {
        List<Object> keys = new ArrayList<>();
        for (Map.Entry<String, RecordHash> entry : side.entrySet()) {
            RecordHash counterpart = other.get(entry.getKey());
            if (counterpart == null || counterpart.hash() != entry.getValue().hash()) {
                keys.add(entry.getValue().rawKey());
            }
        }
        return keys;
    }

    private Fallback tooMany(long rows, long largest) {
        return new Fallback(String.format(Locale.ROOT, "the segments whose checksums differ hold %d of %d records (the limits"
                + " are %.0f%% and %d): pulling everything costs less", rows, largest, maxShare * 100, rowLimit));
    }

    private static List<Long> differing(Map<Long, Checksum> a, Map<Long, Checksum> b) {
        Set<Long> segments = new HashSet<>(a.keySet());
        segments.addAll(b.keySet());
        List<Long> differing = new ArrayList<>();
        for (Long segment : segments) {
            if (!Objects.equals(a.get(segment), b.get(segment))) {
                differing.add(segment);
            }
        }
        differing.sort(null);
        return differing;
    }

    private static long rows(List<Long> segments, Map<Long, Checksum> a, Map<Long, Checksum> b) {
        long rows = 0;
        for (Long segment : segments) {
            rows += Math.max(count(a.get(segment)), count(b.get(segment)));
        }
        return rows;
    }

    private static long count(Checksum checksum) {
        return checksum == null ? 0 : checksum.count();
    }

    private static long total(Map<Long, Checksum> segments) {
        return segments.values().stream().mapToLong(Checksum::count).sum();
    }
}
