package io.syncline.poll;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** The store of table {@code poll_start}: the start a poll chose at its first run ({@code startAt: now}). */
@ApplicationScoped
public class PollStartRepository {

    /**
     * The poll's start: the one chosen before, else {@code chosen}, kept from now on. Two replicas
     * choosing at once keep the first one's.
     */
    public Instant keep(Connection connection, String job, Instant chosen) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO poll_start (job, start_at, chosen_at)"
                + " VALUES (?, ?, ?) ON CONFLICT (job) DO NOTHING")) {
            insert.setString(1, job);
            insert.setTimestamp(2, Timestamp.from(chosen));
            insert.setTimestamp(3, Timestamp.from(Instant.now()));
            insert.executeUpdate();
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT start_at FROM poll_start WHERE job = ?")) {
            select.setString(1, job);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getTimestamp(1).toInstant();
            }
        }
    }
}
