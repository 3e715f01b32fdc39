package io.syncline.capture;

import io.agroal.api.AgroalDataSource;
import io.syncline.store.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
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

    @Inject
    AgroalDataSource store;

    /** The position of the last message of {@code stream} stored; empty for a stream never read. */
    public Optional<String> find(String system, String stream) throws SQLException {
        return Sql.optional(store, "SELECT position FROM change_stream_position WHERE system_name = ? AND stream = ?", Sql.params().text(system, stream),
                rows -> rows.getString(1));
    }

    /** Saves the position on the caller's connection, in its transaction: the inbox's, which stores the message's changes. */
    public void save(Connection connection, String system, String stream, String position, Instant committedAt) throws SQLException {
        Sql.update(connection, "INSERT INTO change_stream_position (system_name, stream, position, committed_at, stored_at) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (system_name, stream) DO UPDATE SET position = EXCLUDED.position,"
                + " committed_at = EXCLUDED.committed_at, stored_at = EXCLUDED.stored_at",
                Sql.params().text(system, stream, position).timestamp(committedAt == null ? null : Timestamp.from(committedAt))
                        .timestamp(Timestamp.from(Instant.now())));
    }
}
