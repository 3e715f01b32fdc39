package io.syncline.reconcile.bisect;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What both kinds of a side's checksums share: the side's system, its connection, the form of its
 * table's records, the note for the run's summary, and the count of repeated keys, whose query
 * alone differs.
 */
abstract class TableChecksums implements SegmentChecksums {

    protected final String system;
    protected final Connection connection;
    protected final ChecksumForm form;
    private final String note;

    /** @param note what the run's summary says about this side, or null */
    protected TableChecksums(String system, Connection connection, ChecksumForm form, String note) {
        this.system = system;
        this.connection = connection;
        this.form = form;
        this.note = note;
    }

    @Override
    public String system() {
        return system;
    }

    @Override
    public String note() {
        return note;
    }

    /** 0 where a unique index rules repeats out, else what {@link #repeatedQuery} counts. */
    @Override
    public long repeated() throws SQLException {
        if (form.keyUnique()) {
            return 0;
        }
        long[] repeated = new long[1];
        ChecksumQueries.query(system, connection, repeatedQuery(), rows -> repeated[0] = rows.getLong(1));
        return repeated[0];
    }

    /** The query of one number: the keyed records less their distinct canonical keys. */
    protected abstract String repeatedQuery();
}
