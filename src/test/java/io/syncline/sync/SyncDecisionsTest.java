package io.syncline.sync;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * What the real-time path decides beyond create and update, on the Quickstart model (CRM is the
 * contact's master, billing takes soft deletes): deletions leave a tombstone that a late update
 * cannot get past; a change billing made itself survives a CRM update of other fields; a field
 * both changed goes to its master; and every decision shows in the audit log and the metrics.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class SyncDecisionsTest {

    private static Map<String, Object> contact(String id, String city, String updatedAt) {
        Map<String, Object> contact = new HashMap<>(Map.of("id", id, "email", id + "@example.com", "firstName", "Grace",
                "lastName", "Hopper", "address", Map.of("city", city), "updatedAt", updatedAt));
        return contact;
    }

    private static List<String> actions(String id) {
        return TestDatabase.query("SELECT action FROM audit_log WHERE source_id = ? AND target_system = 'billing' ORDER BY id", id)
                .stream().map(row -> (String) row.get("action")).toList();
    }

    @Test
    void deletionSoftDeletesTheRowAndALateUpdateCannotResurrectIt() {
        String id = "del-" + UUID.randomUUID();
        DemoWebhook.deliver(contact(id, "Arlington", "2024-06-01T10:00:00Z"), null);
        TestDatabase.awaitRows("SELECT 1 FROM demo_contact WHERE external_id = ?", id);

        DemoWebhook.deliver(Map.of("id", id, "archived", true, "updatedAt", "2024-06-01T12:00:00Z"), null);
        TestDatabase.awaitRows("SELECT 1 FROM demo_contact WHERE external_id = ? AND deleted_at IS NOT NULL", id);
        // The late update was made before the deletion: stale, the row stays deleted.
        DemoWebhook.deliver(contact(id, "Late City", "2024-06-01T11:00:00Z"), null);
        DemoWebhook.awaitDrained(id);

        assertThat(actions(id)).containsExactly("created", "deleted", "skipped-stale");
        assertThat(TestDatabase.query("SELECT city FROM demo_contact WHERE external_id = ? AND deleted_at IS NOT NULL", id))
                .containsExactly(Map.of("city", "Arlington"));
        assertThat(TestDatabase.query("SELECT deleted FROM record_state WHERE source_id = ? AND system = 'billing'", id))
                .containsExactly(Map.of("deleted", true));
    }

    @Test
    void billingsOwnEditSurvivesACrmUpdateOfAnotherFieldAndAConflictGoesToTheMaster() throws SQLException {
        String id = "cf-" + UUID.randomUUID();
        DemoWebhook.deliver(contact(id, "Boston", "2024-06-01T10:00:00Z"), null);
        TestDatabase.awaitRows("SELECT 1 FROM demo_contact WHERE external_id = ?", id);

        // A billing user edits first name and city directly in billing.
        execute("UPDATE demo_contact SET first_name = 'Amazing Grace', city = 'Cambridge' WHERE external_id = ?", id);
        // The CRM changes the city too (a conflict: CRM is the master) but not the first name (billing's edit stays).
        Map<String, Object> update = contact(id, "New York", "2024-06-02T10:00:00Z");
        DemoWebhook.deliver(update, null);
        TestDatabase.awaitRows("SELECT 1 FROM demo_contact WHERE external_id = ? AND city = 'New York'", id);

        assertThat(TestDatabase.query("SELECT first_name, city FROM demo_contact WHERE external_id = ?", id))
                .containsExactly(Map.of("first_name", "Amazing Grace", "city", "New York"));
        assertThat(TestDatabase.query("SELECT action, diff, detail FROM audit_log WHERE source_id = ? AND action = 'updated'", id))
                .singleElement().satisfies(row -> {
                    assertThat((String) row.get("detail")).contains("conflict on city: master-always-wins kept the crm value");
                    assertThat((String) row.get("diff")).contains("\"city\":{\"from\":\"Cambridge\",\"to\":\"New York\"}")
                            .doesNotContain("firstName");
                });
        // Provenance: the city came from the CRM in that run, the first name is billing's own.
        assertThat(TestDatabase.query("SELECT provenance FROM record_state WHERE source_id = ? AND system = 'billing'", id))
                .singleElement().satisfies(row -> assertThat((String) row.get("provenance")).contains("\"city\":{\"system\":\"crm\""));
    }

    @Test
    void sameVersionDeliveredAgainWithoutEventIdIsADuplicateAndMetricsCountIt() {
        String id = "dup-" + UUID.randomUUID();
        Map<String, Object> contact = contact(id, "Paris", "2024-06-01T10:00:00Z");
        DemoWebhook.deliver(contact, null);
        DemoWebhook.deliver(contact, null);
        DemoWebhook.awaitDrained(id);

        assertThat(actions(id)).containsExactly("created", "skipped-duplicate");
        assertThat(TestDatabase.query("SELECT count(*) AS n FROM processed_key WHERE event_key LIKE ?", "version:" + id + ":%"))
                .containsExactly(Map.of("n", 1L));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("syncline_events_total{outcome=\"applied\",route=\"crm-contact-webhook\"}"))
                .body(containsString("syncline_events_total{outcome=\"duplicate\",route=\"crm-contact-webhook\"}"))
                .body(containsString("syncline_inbox_depth"))
                .body(containsString("syncline_dead_letters"))
                .body(containsString("syncline_sync_lag_seconds_bucket{route=\"crm-contact-webhook\""));
        // buckets of minutes, one at the alert's threshold (300 s): a lag of minutes is not lumped into +Inf
        assertThat(given().when().get("/q/metrics").then().extract().asString())
                .containsPattern("syncline_sync_lag_seconds_bucket\\{[^}]*le=\"300.0\"")
                .containsPattern("syncline_sync_lag_seconds_bucket\\{[^}]*le=\"[1-9][0-9]{3,}\\.[0-9]+\"");
    }

    @Test
    void valuesOfTheWrongTypeMakeADeadLetterNamingEachWhileTheNextEventIsApplied() {
        String bad = "type-" + UUID.randomUUID();
        String good = "type-" + UUID.randomUUID();
        long inboxId = DemoWebhook.accept(Map.of("id", bad, "email", 42, "lastName", "Wrong",
                "updatedAt", "last tuesday"));
        DemoWebhook.deliver(contact(good, "Turin", "2024-06-01T10:00:00Z"), null);

        assertThat(DemoWebhook.finalStatus(inboxId)).isEqualTo("dead");
        assertThat(TestDatabase.query("SELECT reason, attempts FROM dead_letter WHERE inbox_id = ?", inboxId))
                .singleElement().satisfies(row -> {
                    assertThat((String) row.get("reason")).contains("email").contains("updatedAt").contains("last tuesday");
                    assertThat(row.get("attempts")).isEqualTo(1);
                });
        assertThat(TestDatabase.awaitRows("SELECT city FROM demo_contact WHERE external_id = ?", good))
                .containsExactly(Map.of("city", "Turin"));
        assertThat(actions(bad)).isEmpty();
        assertThat(TestDatabase.query("SELECT action, detail FROM audit_log WHERE inbox_id = ?", inboxId))
                .singleElement().satisfies(row -> assertThat(row.get("action")).isEqualTo("failed"));
    }

    private static void execute(String sql, String parameter) throws SQLException {
        try (Connection connection = TestDatabase.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            statement.executeUpdate();
        }
    }
}
