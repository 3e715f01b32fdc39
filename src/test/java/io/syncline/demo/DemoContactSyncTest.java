package io.syncline.demo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * The Quickstart example: a CRM contact posted to the demo webhook is stored in the durable
 * inbox (202), then mapped through routes/contacts.syncline.yaml into billing's demo_contact
 * table, with both ids linked in the cross-system ID map. Every contact is unique (id, e-mail,
 * phone, company), so that matching never finds the rows of other tests or earlier runs.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class DemoContactSyncTest {

    @Test
    void contactPostedToTheWebhookIsStoredThenLandsMappedAsARow() {
        String id = "c-" + UUID.randomUUID();
        String digits = String.format("%04d", ThreadLocalRandom.current().nextInt(10_000));
        Map<String, Object> contact = Map.of("id", id, "email", " Ada." + id + "@Example.COM ", "firstName", "Ada",
                "lastName", "Lovelace", "phone", "020 7946 " + digits, "company", Map.of("name", "Moteurs Zoë & Cie " + id),
                "address", Map.of("city", "London"), "lifecycleStage", "customer",
                "updatedAt", "2024-03-01T10:30:00+01:00");

        long inboxId = DemoWebhook.accept(contact);

        assertThat(TestDatabase.query("SELECT entity, source_system, record_key FROM inbox WHERE id = ?", inboxId))
                .containsExactly(Map.of("entity", "contact", "source_system", "crm", "record_key", id));
        Map<String, Object> row = TestDatabase.awaitRows("SELECT email, first_name, last_name, full_name, phone,"
                + " company, city, status, updated_at FROM demo_contact WHERE external_id = ?", id).get(0);
        assertThat(row).containsEntry("email", "ada." + id + "@example.com")
                .containsEntry("full_name", "Ada Lovelace")
                .containsEntry("phone", "+44207946" + digits)
                .containsEntry("company", "Moteurs Zoë & Cie " + id)
                .containsEntry("city", "London")
                .containsEntry("status", "active");
        assertThat(((Timestamp) row.get("updated_at")).toInstant()).hasToString("2024-03-01T09:30:00Z");
        assertThat(DemoWebhook.finalStatus(inboxId)).isEqualTo("done");

        assertThat(TestDatabase.query("SELECT m.system, m.system_id FROM id_map m JOIN id_map c ON c.canonical_id = m.canonical_id"
                + " WHERE c.entity = 'contact' AND c.system = 'crm' AND c.system_id = ? ORDER BY m.system", id))
                .containsExactly(Map.of("system", "billing", "system_id", id), Map.of("system", "crm", "system_id", id));

        given().when().get("/demo/contacts")
                .then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("external_id", hasItem(id))
                .body("find { it.external_id == '" + id + "' }.company", equalTo("Moteurs Zoë & Cie " + id))
                .body("find { it.external_id == '" + id + "' }.updated_at", equalTo("2024-03-01T09:30:00Z"));
    }

    @Test
    void eventsForOneContactAreAppliedInOrderUnderOneCanonicalId() {
        String id = "c-" + UUID.randomUUID();
        for (int i = 1; i <= 5; i++) {
            DemoWebhook.accept(Map.of("id", id, "email", "v" + i + "." + id + "@example.com", "lastName", "Hopper"));
        }

        TestDatabase.awaitRows("SELECT 1 FROM inbox WHERE record_key = ? HAVING COUNT(*) = SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END)", id);
        assertThat(TestDatabase.query("SELECT email FROM demo_contact WHERE external_id = ?", id))
                .containsExactly(Map.of("email", "v5." + id + "@example.com"));
        assertThat(TestDatabase.query("SELECT COUNT(DISTINCT canonical_id) AS ids FROM id_map WHERE entity = 'contact'"
                + " AND ((system = 'crm' AND system_id = ?) OR (system = 'billing' AND system_id = ?))", id, id))
                .containsExactly(Map.of("ids", 1L));
    }

    @Test
    void redeliveredEventIdIsStoredOnceAndAnsweredWithTheFirstInboxId() {
        String id = "c-" + UUID.randomUUID();
        Map<String, Object> contact = Map.of("id", id, "email", id + "@example.com", "lastName", "Once");

        Integer first = given().contentType(ContentType.JSON).header("X-Event-Id", "evt-" + id).body(contact)
                .when().post(DemoWebhook.PATH)
                .then().statusCode(202).body("status", equalTo("accepted"))
                .extract().path("inboxId");
        given().contentType(ContentType.JSON).header("X-Event-Id", "evt-" + id).body(contact)
                .when().post(DemoWebhook.PATH)
                .then().statusCode(202)
                .body("status", equalTo("duplicate"))
                .body("inboxId", equalTo(first));

        assertThat(TestDatabase.query("SELECT COUNT(*) AS events FROM inbox WHERE record_key = ?", id))
                .containsExactly(Map.of("events", 1L));
    }

    @Test
    void rejectedRecordIsDeadLetteredWithItsReasonsAndPayload() {
        String id = "c-" + UUID.randomUUID();
        String payload = "{\"id\":\"" + id + "\",\"phone\":\"12ab\"}";

        long inboxId = DemoWebhook.accept(payload);

        Map<String, Object> row = TestDatabase.awaitRows("SELECT route_id, entity, source_system, payload, reason, status"
                + " FROM dead_letter WHERE inbox_id = ?", inboxId).get(0);
        assertThat(row).containsEntry("route_id", "contact-crm-to-billing")
                .containsEntry("entity", "contact")
                .containsEntry("source_system", "crm")
                .containsEntry("payload", payload)
                .containsEntry("status", "new");
        assertThat((String) row.get("reason")).contains("required field email").contains("12ab");
        assertThat(DemoWebhook.finalStatus(inboxId)).isEqualTo("dead");
        assertThat(TestDatabase.query("SELECT 1 FROM demo_contact WHERE external_id = ?", id)).isEmpty();
    }

    @Test
    void recordMissingAHoldFieldIsQueuedForReviewNotWritten() {
        String id = "c-" + UUID.randomUUID();

        long inboxId = DemoWebhook.accept(Map.of("id", id, "email", id + "@example.com"));

        Map<String, Object> item = TestDatabase.awaitRows("SELECT kind, entity, source_system, source_id, status, reason"
                + " FROM review_item WHERE inbox_id = ?", inboxId).get(0);
        assertThat(item).containsEntry("kind", "held_record").containsEntry("source_id", id).containsEntry("status", "open");
        assertThat((String) item.get("reason")).contains("required field lastName");
        assertThat(DemoWebhook.finalStatus(inboxId)).isEqualTo("held");
        assertThat(TestDatabase.query("SELECT 1 FROM demo_contact WHERE external_id = ?", id)).isEmpty();
    }

    @Test
    void aHeldRecordIsQueuedAsItsSourceSentItAndNamesItsTarget() {
        String id = "c-" + UUID.randomUUID();

        long inboxId = DemoWebhook.accept(Map.of("id", id, "email", id + "@example.com", "firstName", "Ada"));

        Map<String, Object> item = TestDatabase.awaitRows("SELECT target_system, payload FROM review_item WHERE inbox_id = ?",
                inboxId).get(0);
        assertThat(item).containsEntry("target_system", "billing");
        // The full name is computed from the last name it lacks: not shown as if the record held "Ada ".
        assertThat((String) item.get("payload")).contains("\"firstName\":\"Ada\"").doesNotContain("fullName");
    }
}
