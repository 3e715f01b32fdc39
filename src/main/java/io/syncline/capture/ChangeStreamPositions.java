package io.syncline.capture;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * The store of table {@code change_stream_position}: how far each system's captured change stream
 * (a Salesforce org's channel) is in the inbox, as the position of its last stored message.
 */
@ApplicationScoped
public class ChangeStreamPositions {

    private final AgroalDataSource store;

    public ChangeStreamPositions(AgroalDataSource store) {
        this.store = store;
    }

    /** The position of the last message of {@code stream} stored; empty for a stream never read. */
    public Optional<String> find(String system, String stream) throws SQLException {
        try (Connection connection = store.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT position FROM change_stream_position WHERE system_name = ? AND stream = ?")) {
            select.setString(1, system);
            select.setString(2, stream);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    /** Saves the position on the caller's connection, in its transaction: the inbox's, which stores the message's changes. */
    public void save(Connection connection, String system, String stream, String position, Instant committedAt) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(
                "INSERT INTO change_stream_position (system_name, stream, position, committed_at, stored_at) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (system_name, stream) DO UPDATE SET position = EXCLUDED.position,"
                        + " committed_at = EXCLUDED.committed_at, stored_at = EXCLUDED.stored_at")) {
            upsert.setString(1, system);
            upsert.setString(2, stream);
            upsert.setString(3, position);
            upsert.setTimestamp(4, committedAt == null ? null : Timestamp.from(committedAt));
            upsert.setTimestamp(5, Timestamp.from(Instant.now()));
            upsert.executeUpdate();
        }
    }
}
