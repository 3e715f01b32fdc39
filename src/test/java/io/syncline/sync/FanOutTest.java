package io.syncline.sync;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.MariaDbTargetResource;
import io.syncline.testsupport.MariaDbTestDatabase;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A model whose CRM contacts go to two targets (src/test/resources/fanout-routes, no route file):
 * the fan-out template applies each event to billing on PostgreSQL and then the ERP on MariaDB,
 * each target committing its own unit, and the inbox marks the event done once both have.
 * When the ERP fails, the event is retried: billing, already committed, is skipped as a
 * duplicate (written once), and the ERP is applied when it is back.
 */
@QuarkusTest
@TestProfile(FanOutTest.TwoTargets.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(MariaDbTargetResource.class)
class FanOutTest {

    public static class TwoTargets implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("syncline.routes.location", "src/test/resources/fanout-routes",
                    "syncline.inbox.retry-delay", "200ms", "syncline.inbox.max-retry-delay", "500ms");
        }
    }

    private static final String AWAY = MariaDbTargetResource.TABLE + "_away";

    @AfterEach
    void erpBack() {
        if (!MariaDbTestDatabase.query("SHOW TABLES LIKE '" + AWAY + "'").isEmpty()) {
            MariaDbTestDatabase.execute("RENAME TABLE " + AWAY + " TO " + MariaDbTargetResource.TABLE);
        }
    }

    private static Map<String, Object> contact(String id, String lastName) {
        return Map.of("id", id, "email", id + "@example.com", "lastName", lastName, "updatedAt", "2024-03-01T10:30:00Z");
    }

    private static List<Map<String, Object>> audit(long inboxId, String target, String action) {
        return TestDatabase.query("SELECT id FROM audit_log WHERE inbox_id = ? AND target_system = ? AND action = ?",
                inboxId, target, action);
    }

    @Test
    void eachTargetGetsTheContactAndTheEventIsDoneWithTheLast() {
        String id = "fan-" + UUID.randomUUID();

        long inboxId = DemoWebhook.accept(contact(id, "Lovelace"));

        assertThat(DemoWebhook.finalStatus(inboxId)).isEqualTo("done");
        assertThat(TestDatabase.query("SELECT last_name FROM demo_contact WHERE external_id = ?", id))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("last_name", "Lovelace"));
        assertThat(MariaDbTestDatabase.query("SELECT last_name FROM erp_contact WHERE customer_no = ?", id))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("last_name", "Lovelace"));
        assertThat(audit(inboxId, "billing", "created")).hasSize(1);
        assertThat(audit(inboxId, "erp", "created")).hasSize(1);
        assertThat(TestDatabase.query("SELECT system FROM id_map WHERE entity = 'contact' AND system_id = ?", id))
                .extracting(row -> row.get("system")).contains("billing", "erp");
    }

    @Test
    void aRetryAfterTheLastTargetFailedSkipsTheCommittedTargetAndAppliesTheRest() {
        String id = "fan-" + UUID.randomUUID();
        MariaDbTestDatabase.execute("RENAME TABLE " + MariaDbTargetResource.TABLE + " TO " + AWAY);

        long inboxId = DemoWebhook.accept(contact(id, "Hopper"));

        // Billing committed on the first attempt; the ERP failed and the event stays open for retries.
        await().atMost(Duration.ofSeconds(30)).until(() -> !audit(inboxId, "billing", "skipped-duplicate").isEmpty());
        assertThat(TestDatabase.query("SELECT status FROM inbox WHERE id = ?", inboxId).get(0).get("status"))
                .isIn("pending", "processing");
        assertThat(TestDatabase.query("SELECT last_name FROM demo_contact WHERE external_id = ?", id)).hasSize(1);

        erpBack();

        assertThat(DemoWebhook.finalStatus(inboxId)).isEqualTo("done");
        assertThat(MariaDbTestDatabase.query("SELECT last_name FROM erp_contact WHERE customer_no = ?", id))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("last_name", "Hopper"));
        assertThat(audit(inboxId, "billing", "created")).as("billing written once").hasSize(1);
        assertThat(audit(inboxId, "erp", "created")).hasSize(1);
        assertThat(audit(inboxId, "erp", "failed")).isEmpty();
    }

    @Test
    void aRecordTheSecondTargetRefusesIsADeadLetterNamingThatTargetsApplyRoute() {
        String id = "fan-" + UUID.randomUUID();
        // The ERP's column takes 10 characters: a longer last name is a data error there, for good.
        MariaDbTestDatabase.execute("ALTER TABLE " + MariaDbTargetResource.TABLE + " MODIFY last_name VARCHAR(10)");
        try {
            long inboxId = DemoWebhook.accept(contact(id, "Longer-than-ten"));

            assertThat(DemoWebhook.finalStatus(inboxId)).isEqualTo("dead");
            assertThat(TestDatabase.query("SELECT route_id FROM dead_letter WHERE inbox_id = ?", inboxId))
                    .containsExactly(Map.of("route_id", "contact-crm-to-erp"));
            assertThat(audit(inboxId, "billing", "created")).hasSize(1);
        } finally {
            MariaDbTestDatabase.execute("ALTER TABLE " + MariaDbTargetResource.TABLE + " MODIFY last_name VARCHAR(200)");
        }
    }
}
