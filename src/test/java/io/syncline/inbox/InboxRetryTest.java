package io.syncline.inbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.testsupport.DemoTarget;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.FastRetriesProfile;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing accepted is lost: while the target is unavailable events are retried with backoff and
 * applied once it is back; after the last attempt an event becomes a dead letter; an event whose
 * worker died mid-way is claimed again when its lease runs out.
 */
@QuarkusTest
@TestProfile(FastRetriesProfile.class)
@WithTestResource(PostgresDatabaseResource.class)
class InboxRetryTest {

    @AfterEach
    void targetBack() throws SQLException {
        DemoTarget.bringBack();
    }

    private static void sql(String statement) throws SQLException {
        try (Connection connection = TestDatabase.connect(); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    private static Map<String, Object> inbox(long id) {
        return TestDatabase.query("SELECT status, attempts, last_error FROM inbox WHERE id = ?", id).get(0);
    }

    @Test
    void eventsAcceptedWhileTheTargetIsDownAreAppliedWhenItIsBack() throws SQLException {
        String id = "c-" + UUID.randomUUID();
        DemoTarget.takeDown();
        long inboxId = DemoWebhook.accept(Map.of("id", id, "email", id + "@example.com", "lastName", "Patient"));

        await().atMost(Duration.ofSeconds(20)).until(() -> ((Number) inbox(inboxId).get("attempts")).intValue() >= 2);
        assertThat(inbox(inboxId).get("status")).isIn("pending", "processing");
        assertThat((String) inbox(inboxId).get("last_error")).contains("demo_contact");

        DemoTarget.bringBack();

        assertThat(DemoWebhook.finalStatus(inboxId)).isEqualTo("done");
        assertThat(TestDatabase.query("SELECT last_name FROM demo_contact WHERE external_id = ?", id))
                .containsExactly(Map.of("last_name", "Patient"));
        assertThat(TestDatabase.query("SELECT 1 FROM dead_letter WHERE inbox_id = ?", inboxId)).isEmpty();
    }

    @Test
    void eventStillFailingAfterTheLastAttemptBecomesADeadLetter() throws SQLException {
        String id = "c-" + UUID.randomUUID();
        DemoTarget.takeDown();
        long inboxId = DemoWebhook.accept(Map.of("id", id, "email", id + "@example.com", "lastName", "Doomed"));

        assertThat(DemoWebhook.finalStatus(inboxId)).isEqualTo("dead");
        assertThat(TestDatabase.query("SELECT attempts, route_id FROM dead_letter WHERE inbox_id = ?", inboxId))
                .containsExactly(Map.of("attempts", 4, "route_id", "contact-crm-to-billing"));
    }

    @Test
    void eventLeftProcessingByADeadWorkerIsClaimedAgainAfterItsLease() throws SQLException {
        String id = "c-" + UUID.randomUUID();
        String payload = "{\"id\":\"" + id + "\",\"email\":\"" + id + "@example.com\",\"lastName\":\"Orphan\"}";
        sql("INSERT INTO inbox (route_id, apply_endpoint, entity, source_system, record_key, payload, status, attempts,"
                + " claimed_until) VALUES ('crm-contact-webhook', 'direct:contact-crm-to-billing', 'contact', 'crm', '" + id
                + "', '" + payload + "', 'processing', 1, CURRENT_TIMESTAMP - INTERVAL '1 minute')");

        TestDatabase.awaitRows("SELECT 1 FROM inbox WHERE record_key = ? AND status = 'done'", id);
        assertThat(TestDatabase.query("SELECT attempts FROM inbox WHERE record_key = ?", id))
                .containsExactly(Map.of("attempts", 2));
        assertThat(TestDatabase.query("SELECT 1 FROM demo_contact WHERE external_id = ?", id)).hasSize(1);
    }
}
