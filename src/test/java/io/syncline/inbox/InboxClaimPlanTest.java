package io.syncline.inbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claim reads the index of pending events even when PostgreSQL's statistics were taken during a
 * backlog (many events pending) and most of those events have been applied since: the state of
 * the inbox while a backlog drains with autovacuum behind. With an index over every event's
 * (status, id), PostgreSQL planned the claim on the primary key then, and read every applied
 * event from the oldest on each claim. Everything here happens in one transaction that is rolled
 * back: the running dispatcher never sees these events, and the statistics are restored.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class InboxClaimPlanTest {

    private static final int BACKLOG = 20_000;
    private static final int APPLIED_SINCE = 12_000;

    @Test
    void aClaimDuringADrainingBacklogReadsThePendingEventsIndexNotThePrimaryKey() throws SQLException {
        String source = "claim-plan-" + UUID.randomUUID();
        try (Connection connection = TestDatabase.connect()) {
            connection.setAutoCommit(false);
            try {
                backlog(connection, source);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ANALYZE inbox");
                }
                applyOldest(connection, source);

                List<String> plan = explain(connection, InboxClaimQuery.due(connection));

                assertThat(plan).anyMatch(line -> line.contains("Index Scan using inbox_pending_idx on inbox i"));
                assertThat(plan).noneMatch(line -> line.contains("inbox_pkey on inbox i"));
            } finally {
                connection.rollback();
            }
        }
    }

    private static void backlog(Connection connection, String source) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO inbox (route_id, apply_endpoint, entity, source_system, record_key, event_id, payload, status)"
                        + " SELECT 'demo-contacts-webhook', 'direct:demo-contacts-apply', 'contact', ?, 'r-' || g,"
                        + " 'e-' || g, '{}', 'pending' FROM generate_series(1, ?) g")) {
            insert.setString(1, source);
            insert.setInt(2, BACKLOG);
            insert.executeUpdate();
        }
    }

    private static void applyOldest(Connection connection, String source) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE inbox SET status = 'done',"
                + " finished_at = CURRENT_TIMESTAMP WHERE id IN (SELECT id FROM inbox WHERE source_system = ?"
                + " ORDER BY id LIMIT ?)")) {
            update.setString(1, source);
            update.setInt(2, APPLIED_SINCE);
            update.executeUpdate();
        }
    }

    private static List<String> explain(Connection connection, String claim) throws SQLException {
        List<String> plan = new ArrayList<>();
        try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + claim)) {
            explain.setTimestamp(1, Timestamp.from(Instant.now()));
            explain.setInt(2, 25);
            try (ResultSet rows = explain.executeQuery()) {
                while (rows.next()) {
                    plan.add(rows.getString(1));
                }
            }
        }
        return plan;
    }
}
