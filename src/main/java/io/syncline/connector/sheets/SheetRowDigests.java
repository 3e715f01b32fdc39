package io.syncline.connector.sheets;

import io.agroal.api.AgroalDataSource;
import io.syncline.store.Sql;
import io.syncline.store.Upsert;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The store of table {@code sheet_row}: the digest of each row a change poll of a sheet last saw,
 * by poll job and row key. A poll compares a sheet's rows with it to find what changed, and keeps a
 * row's new digest only once its change is in the inbox, so a crash in between reads the change again.
 */
@ApplicationScoped
public class SheetRowDigests {

    private static final Upsert KEEP = Upsert.of("sheet_row", List.of("job", "row_key"), List.of("row_digest", "seen_at"));

    private final AgroalDataSource store;

    public SheetRowDigests(AgroalDataSource store) {
        this.store = store;
    }

    /** What a row held when it was last seen (by a poll, or as Syncline wrote it), and when. */
    public record Seen(String digest, Instant at) {
    }

    /** The digest Syncline keeps for a row it emptied: no record, and no deletion to tell either. */
    public static final String CLEARED = "cleared";

    /** Every row the job has seen, by key. */
    public Map<String, Seen> of(String job) throws SQLException {
        Map<String, Seen> digests = new HashMap<>();
        try (Connection connection = store.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT row_key, row_digest, seen_at FROM sheet_row"
                        + " WHERE job = ?")) {
            select.setString(1, job);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    digests.put(rows.getString(1), new Seen(rows.getString(2), rows.getTimestamp(3).toInstant()));
                }
            }
        }
        return digests;
    }

    /** The digest of the row {@code key} the job last saw; null when it has seen none. */
    public String of(String job, String key) throws SQLException {
        return Sql.optional(store, "SELECT row_digest FROM sheet_row WHERE job = ? AND row_key = ?", select -> {
            select.setString(1, job);
            select.setString(2, key);
        }, rows -> rows.getString(1)).orElse(null);
    }

    /** Keeps the digests of rows whose change is stored, and forgets the keys of rows deleted from the sheet. */
    public void keep(String job, Map<String, String> seen, Collection<String> gone, Instant at) throws SQLException {
        try (Connection connection = store.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<Upsert.Row> rows = new ArrayList<>();
                for (Map.Entry<String, String> row : seen.entrySet()) {
                    rows.add(new Upsert.Row(Sql.params().text(job, row.getKey()),
                            Sql.params().text(row.getValue()).timestamp(Timestamp.from(at))));
                }
                KEEP.write(connection, rows);
                Sql.batch(connection, "DELETE FROM sheet_row WHERE job = ? AND row_key = ?", gone, (delete, key) -> {
                    delete.setString(1, job);
                    delete.setString(2, key);
                });
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }
}
