package io.syncline.poll;

import io.syncline.connector.spi.Watermark;
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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The store of tables {@code watermark} (how far each change poll has read) and
 * {@code watermark_key} (the keys a poll read at its watermark's instant, for a source that
 * filters by time alone and answers that instant's records again).
 */
@ApplicationScoped
public class WatermarkRepository {

    /** Keys bound in one look-up: far below any driver's parameter limit. */
    private static final int KEYS_PER_STATEMENT = 1000;
    private static final Upsert WRITE = Upsert.of("watermark", List.of("job"), List.of("last_at", "last_key", "updated_at"));

    /** The poll's watermark; empty before its first record. */
    public Optional<Watermark> find(Connection connection, String job) throws SQLException {
        return Sql.optional(connection, "SELECT last_at, last_key FROM watermark WHERE job = ?", select -> select.setString(1, job),
                rows -> new Watermark(rows.getTimestamp(1).toInstant(), rows.getString(2)));
    }

    /** Moves the poll's watermark to {@code reached}, on the caller's connection (its transaction). */
    public void save(Connection connection, String job, Watermark reached) throws SQLException {
        WRITE.write(connection, new Upsert.Row(Sql.params().text(job), Sql.params().timestamp(Timestamp.from(reached.at()))
                .text(String.valueOf(reached.key())).timestamp(Timestamp.from(Instant.now()))));
    }

    /**
     * Moves the watermark of a poll whose source filters by time alone to {@code reached}, with the
     * keys read at its instant: added to those kept when the instant is the one they were kept
     * for, in their place when the watermark moved on ({@code moved}). On the caller's connection.
     */
    public void save(Connection connection, String job, Watermark reached, Collection<String> readAtInstant, boolean moved)
            throws SQLException {
        save(connection, job, reached);
        if (moved) {
            Sql.update(connection, "DELETE FROM watermark_key WHERE job = ?", delete -> delete.setString(1, job));
        }
        Sql.batch(connection, "INSERT INTO watermark_key (job, record_key) VALUES (?, ?) ON CONFLICT DO NOTHING", readAtInstant, (insert, key) -> {
            insert.setString(1, job);
            insert.setString(2, key);
        });
    }

    /** Of {@code keys}, those the poll read at its watermark's instant already. */
    public Set<String> readAtWatermark(Connection connection, String job, Collection<String> keys) throws SQLException {
        Set<String> read = new HashSet<>();
        List<String> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += KEYS_PER_STATEMENT) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + KEYS_PER_STATEMENT));
            try (PreparedStatement select = connection.prepareStatement("SELECT record_key FROM watermark_key WHERE job = ?"
                    + " AND record_key IN (" + "?, ".repeat(chunk.size() - 1) + "?)")) {
                select.setString(1, job);
                for (int i = 0; i < chunk.size(); i++) {
                    select.setString(i + 2, chunk.get(i));
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        read.add(rows.getString(1));
                    }
                }
            }
        }
        return read;
    }
}
