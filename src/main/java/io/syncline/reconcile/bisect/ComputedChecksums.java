package io.syncline.reconcile.bisect;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.syncline.reconcile.bisect.ChecksumQueries.mask;

/**
 * Checksums computed from the side's table at each run: every level reads the table once with one
 * {@code GROUP BY}, hashing each record's key and compared values on the way (see
 * {@link ChecksumForm}). Needs nothing of the database but read access.
 */
public final class ComputedChecksums extends TableChecksums {

    /** @param note what the run's summary says about this side (why it is not maintained, say), or null */
    public ComputedChecksums(String system, Connection connection, ChecksumForm form, String note) {
        super(system, connection, form, note);
    }

    @Override
    public Map<Long, Checksum> segments(int bits, int parentBits, List<Long> parents) throws SQLException {
        String sql = "SELECT " + ChecksumForm.KEY_HASH + " & " + mask(bits) + ", COUNT(*), SUM(" + ChecksumForm.ROW_HASH + ")"
                + " FROM (" + hashed(parents == null ? 0 : parentBits) + ") s GROUP BY 1";
        Map<Long, Checksum> segments = new HashMap<>();
        ChecksumQueries.RowReader reader = rows -> segments.put(rows.getObject(1, Long.class),
                new Checksum(rows.getLong(2), rows.getBigDecimal(3)));
        if (parents == null) {
            ChecksumQueries.query(system, connection, sql, reader);
        } else {
            ChecksumQueries.query(system, connection, sql, reader, parents);
        }
        return segments;
    }

    @Override
    public Map<String, RecordHash> records(int bits, List<Long> segments) throws SQLException {
        String sql = "SELECT " + form.keyText() + ", " + form.keyColumn() + ", " + ChecksumForm.ROW_HASH
                + " FROM (SELECT k.*, " + form.rowHash() + " AS " + ChecksumForm.ROW_HASH + " FROM (" + form.keyed(form.table()) + ") k"
                + " WHERE (" + ChecksumForm.KEY_HASH + " & " + mask(bits) + ") = ANY(?)) s";
        Map<String, RecordHash> records = new HashMap<>();
        ChecksumQueries.query(system, connection, sql,
                rows -> records.put(rows.getString(1), new RecordHash(rows.getObject(2), rows.getLong(3))), segments);
        return records;
    }

    @Override
    protected String repeatedQuery() {
        return "SELECT COUNT(*) - COUNT(DISTINCT " + form.keyText() + ") FROM " + form.table() + " WHERE " + form.keyText()
                + " IS NOT NULL";
    }

    private String hashed(int parentBits) {
        return "SELECT " + ChecksumForm.KEY_HASH + ", " + form.rowHash() + " AS " + ChecksumForm.ROW_HASH
                + " FROM (" + form.keyed(form.table()) + ") k"
                + (parentBits == 0 ? "" : " WHERE (" + ChecksumForm.KEY_HASH + " & " + mask(parentBits) + ") = ANY(?)");
    }
}
