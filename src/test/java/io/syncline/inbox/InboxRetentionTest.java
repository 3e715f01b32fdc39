package io.syncline.inbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The inbox keeps applied events for syncline.inbox.retention (30 days), then purges them; what is
 * still work to do (pending, processing, held, dead, or done but under an open review item) stays.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class InboxRetentionTest {

    @Inject
    InboxRetention retention;

    @Test
    void appliedEventsOlderThanTheRetentionArePurgedAndEverythingElseKept() throws SQLException {
        String tag = "retention-" + UUID.randomUUID();
        try {
            // Pending and processing events far from due, so that the running dispatcher leaves them be.
            insert(tag + "-done-31-days", "done", "31 days", 1);
            insert(tag + "-done-29-days", "done", "29 days", 1);
            insert(tag + "-pending", "pending", null, 1);
            insert(tag + "-processing", "processing", null, 1);
            insert(tag + "-held", "held", "40 days", 1);
            insert(tag + "-dead", "dead", "40 days", 1);
            insert(tag + "-done-under-review", "done", "40 days", 1);
            reviewItemFor(tag + "-done-under-review");

            // what is gone and what stays, whether this call or route inbox-cleanup (hourly) purged it
            retention.purgeApplied();

            assertThat(TestDatabase.query("SELECT event_id FROM inbox WHERE event_id LIKE ? ORDER BY event_id", tag + "%"))
                    .extracting(row -> row.get("event_id"))
                    .isEqualTo(List.of(tag + "-dead", tag + "-done-29-days", tag + "-done-under-review", tag + "-held",
                            tag + "-pending", tag + "-processing"));
        } finally {
            // Other tests wait for an inbox with nothing pending: these never fall due.
            remove(tag);
        }
    }

    @Test
    void aBacklogLargerThanOneBatchIsPurgedInOneRun() throws SQLException {
        String tag = "retention-batch-" + UUID.randomUUID();
        insert(tag, "done", "45 days", InboxRetention.BATCH * 2 + 1);

        assertThat(retention.purgeApplied()).isGreaterThanOrEqualTo(InboxRetention.BATCH * 2 + 1);

        assertThat(TestDatabase.query("SELECT count(*) AS n FROM inbox WHERE event_id LIKE ?", tag + "%"))
                .extracting(row -> ((Number) row.get("n")).longValue()).containsExactly(0L);
    }

    @Test
    void aRetentionThatIsNotPositiveIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> new InboxRetention(null, Duration.ZERO, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("syncline.inbox.retention");
    }

    /** {@code count} events with ids {@code eventId}, {@code eventId-2}…, finished {@code age} ago (null: not finished). */
    private static void insert(String eventId, String status, String age, int count) throws SQLException {
        try (Connection connection = TestDatabase.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO inbox (route_id, apply_endpoint, entity, source_system, record_key, event_id, payload,"
                        + " status, next_attempt_at, claimed_until, finished_at)"
                        + " SELECT 'crm-contact-webhook', 'direct:contact-crm-to-billing', 'contact', 'crm', 'r-' || g,"
                        + " CASE WHEN g = 1 THEN ? ELSE ? || '-' || g END, '{}', ?,"
                        + " CURRENT_TIMESTAMP + INTERVAL '365 days', CURRENT_TIMESTAMP + INTERVAL '365 days',"
                        + " CURRENT_TIMESTAMP - CAST(? AS INTERVAL) FROM generate_series(1, ?) g")) {
            insert.setString(1, eventId);
            insert.setString(2, eventId);
            insert.setString(3, status);
            insert.setString(4, age);
            insert.setInt(5, count);
            insert.executeUpdate();
        }
    }

    private static void remove(String tag) throws SQLException {
        try (Connection connection = TestDatabase.connect();
                PreparedStatement reviews = connection.prepareStatement("DELETE FROM review_item WHERE inbox_id IN"
                        + " (SELECT id FROM inbox WHERE event_id LIKE ?)");
                PreparedStatement events = connection.prepareStatement("DELETE FROM inbox WHERE event_id LIKE ?")) {
            reviews.setString(1, tag + "%");
            reviews.executeUpdate();
            events.setString(1, tag + "%");
            events.executeUpdate();
        }
    }

    private static void reviewItemFor(String eventId) throws SQLException {
        try (Connection connection = TestDatabase.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO review_item (kind, entity, source_system, source_id, reason, payload, inbox_id)"
                        + " SELECT 'conflict', 'contact', 'crm', record_key, 'test', '{}', id FROM inbox WHERE event_id = ?")) {
            insert.setString(1, eventId);
            insert.executeUpdate();
        }
    }
}
