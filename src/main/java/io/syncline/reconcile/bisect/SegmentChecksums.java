package io.syncline.reconcile.bisect;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Where one side's checksums come from: computed from its table at each run
 * ({@link ComputedChecksums}), or kept by its database as the table changes
 * ({@link MaintainedChecksums}). Both give the same values for the same records, so the two sides
 * of a job need not use the same kind.
 *
 * <p>A segment is a value of the low {@code bits} of a record's key hash; {@code null} is the
 * segment of the records without a key (counted, never compared).
 */
public interface SegmentChecksums {

    /** The side's system name, for messages. */
    String system();

    /**
     * Checksums by segment of {@code bits} bits; with {@code parents}, only within those segments of
     * {@code parentBits} bits. The first level ({@code parents} null) covers the whole table and
     * includes the keyless records' segment.
     */
    Map<Long, Checksum> segments(int bits, int parentBits, List<Long> parents) throws SQLException;

    /** Each record of the given segments of {@code bits} bits, by its canonical key's text. */
    Map<String, RecordHash> records(int bits, List<Long> segments) throws SQLException;

    /** Records repeating a canonical key of the side (0 when a unique index rules repeats out). */
    long repeated() throws SQLException;

    /** What the summary of a run says about this side's checksums, or null when there is nothing to say. */
    default String note() {
        return null;
    }

    /** A segment's checksum: its record count and the exact sum of its records' hashes (null for keyless records). */
    record Checksum(long count, BigDecimal sum) {
    }

    /** A record of a differing segment: its raw key (as the side's puller binds it) and its hash. */
    record RecordHash(Object rawKey, long hash) {
    }
}
