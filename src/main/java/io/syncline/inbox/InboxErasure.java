package io.syncline.inbox;

import io.syncline.store.Sql;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;

/**
 * A privacy request's erasure of an inbox event's payload (docs/privacy.md): the statement that
 * changes the inbox's row, for the scrubber that decides which rows and in which transaction.
 */
@ApplicationScoped
public class InboxErasure {

    private final Clock clock = Clock.systemUTC();

    /**
     * Replaces event {@code id}'s payload with {@code mark}, on the caller's connection: an open
     * event ({@code pending}, {@code held}) is refused with {@code reason} and finished now; a
     * finished one keeps its status, its last error replaced by {@code reason}. Returns the rows
     * changed.
     */
    public int erase(Connection connection, long id, String mark, String reason, boolean open) throws SQLException {
        return Sql.update(connection, open
                ? "UPDATE inbox SET payload = ?, last_error = ?, status = 'refused', finished_at = ? WHERE id = ?"
                : "UPDATE inbox SET payload = ?, last_error = CASE WHEN last_error IS NULL THEN NULL ELSE ? END WHERE id = ?", update -> {
                    int index = 1;
                    update.setString(index++, mark);
                    update.setString(index++, reason);
                    if (open) {
                        update.setTimestamp(index++, Timestamp.from(clock.instant()));
                    }
                    update.setLong(index, id);
                });
    }
}
