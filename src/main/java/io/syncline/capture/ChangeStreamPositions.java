package io.syncline.capture;

import io.agroal.api.AgroalDataSource;
import io.syncline.store.Sql;
import io.syncline.store.Upsert;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The store of table {@code change_stream_position}: how far each system's captured change stream
 * (a Salesforce org's channel) is in the inbox, as the position of its last stored message.
 */
@ApplicationScoped
public class ChangeStreamPositions {

    private static final Upsert SAVE = Upsert.of("change_stream_position", List.of("system_name", "stream"),
            List.of("position", "committed_at", "stored_at"));

    @Inject
    AgroalDataSource store;

    /** The position of the last message of {@code stream} stored; empty for a stream never read. */
    public Optional<String> find(String system, String stream) throws SQLException {
        return Sql.optional(store, "SELECT position FROM change_stream_position WHERE system_name = ? AND stream = ?", Sql.params().text(system, stream),
                rows -> rows.getString(1));
    }

    /** Saves the position on the caller's connection, in its transaction: the inbox's, which stores the message's changes. */
    public void save(Connection connection, String system, String stream, String position, Instant committedAt) throws SQLException {
        SAVE.write(connection,
                new Upsert.Row(Sql.params().text(system, stream),
                        Sql.params().text(position).timestamp(committedAt == null ? null : Timestamp.from(committedAt))
                                .timestamp(Timestamp.from(Instant.now()))));
    }
}
