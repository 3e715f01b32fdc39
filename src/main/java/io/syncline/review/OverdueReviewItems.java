package io.syncline.review;

import io.agroal.api.AgroalDataSource;
import io.syncline.config.SynclineConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Open review items that have waited longer than {@code syncline.review.max-age}. */
@ApplicationScoped
public class OverdueReviewItems {

    /** An overdue item, as ops see it. */
    public record Overdue(long id, String kind, String entity, String sourceSystem, String sourceId, String targetSystem,
                          Duration age) {
    }

    private final AgroalDataSource dataSource;
    private final Duration maxAge;
    private final Clock clock = Clock.systemUTC();

    public OverdueReviewItems(AgroalDataSource dataSource, SynclineConfig config) {
        this.dataSource = dataSource;
        this.maxAge = config.review().maxAge();
    }

    public Duration maxAge() {
        return maxAge;
    }

    public long count() throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT count(*) FROM review_item WHERE status = 'open' AND created_at < ?")) {
            select.setTimestamp(1, Timestamp.from(clock.instant().minus(maxAge)));
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** The oldest overdue items, at most {@code limit}. */
    public List<Overdue> oldest(int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT id, kind, entity, source_system, source_id, target_system, created_at FROM review_item"
                        + " WHERE status = 'open' AND created_at < ? ORDER BY created_at, id LIMIT ?")) {
            select.setTimestamp(1, Timestamp.from(clock.instant().minus(maxAge)));
            select.setInt(2, limit);
            List<Overdue> items = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    items.add(new Overdue(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getString(5), rows.getString(6),
                            Duration.between(rows.getTimestamp(7).toInstant(), clock.instant())));
                }
            }
            return items;
        }
    }
}
