package io.syncline.poll;

import io.syncline.reconcile.pull.Watermark;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/** The store of table {@code watermark}: how far each change poll has read. */
@ApplicationScoped
public class WatermarkRepository {

    /** The poll's watermark; empty before its first record. */
    public Optional<Watermark> find(Connection connection, String job) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT last_at, last_key FROM watermark WHERE job = ?")) {
            select.setString(1, job);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(new Watermark(rows.getTimestamp(1).toInstant(), rows.getString(2)))
                        : Optional.empty();
            }
        }
    }

    /** Moves the poll's watermark to {@code reached}, on the caller's connection (its transaction). */
    public void save(Connection connection, String job, Watermark reached) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(
                "INSERT INTO watermark (job, last_at, last_key, updated_at) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (job) DO UPDATE SET last_at = EXCLUDED.last_at, last_key = EXCLUDED.last_key,"
                        + " updated_at = EXCLUDED.updated_at")) {
            upsert.setString(1, job);
            upsert.setTimestamp(2, Timestamp.from(reached.at()));
            upsert.setString(3, String.valueOf(reached.key()));
            upsert.setTimestamp(4, Timestamp.from(Instant.now()));
            upsert.executeUpdate();
        }
    }
}
