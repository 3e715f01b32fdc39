package io.syncline.poll;

import io.syncline.store.Sql;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** The store of table {@code poll_start}: the start a poll chose at its first run ({@code startAt: now}). */
@ApplicationScoped
public class PollStartRepository {

    /**
     * The poll's start: the one chosen before, else {@code chosen}, kept from now on. Two replicas
     * choosing at once keep the first one's ({@code ON CONFLICT} without a conflict target, which
     * the embedded store speaks too).
     */
    public Instant keep(Connection connection, String job, Instant chosen) throws SQLException {
        Sql.update(connection, "INSERT INTO poll_start (job, start_at, chosen_at)"
                + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                Sql.params().text(job).timestamp(Timestamp.from(chosen)).timestamp(Timestamp.from(Instant.now())));
        return Sql.one(connection, "SELECT start_at FROM poll_start WHERE job = ?", select -> select.setString(1, job),
                rows -> rows.getTimestamp(1).toInstant());
    }
}
