package io.syncline.demo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;

/**
 * The Quickstart example on the model in routes/contacts.syncline.yaml: a CRM contact posted
 * to the demo webhook lands, mapped and normalised, in billing's demo_contact table, and both
 * ids are linked in the cross-system ID map. Every contact is unique (id, e-mail, phone,
 * company), so that matching never finds the rows of other tests or earlier runs.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class DemoContactSyncTest {

    static final String WEBHOOK = "/webhooks/demo/contacts";

    static String uniquePhoneDigits() {
        return String.format("%04d", ThreadLocalRandom.current().nextInt(10_000));
    }

    @Test
    void contactPostedToTheWebhookLandsMappedAsARow() {
        String id = "c-" + UUID.randomUUID();
        String digits = uniquePhoneDigits();
        Map<String, Object> contact = Map.of("id", id, "email", " Ada." + id + "@Example.COM ", "firstName", "Ada",
                "lastName", "Lovelace", "phone", "020 7946 " + digits, "company", Map.of("name", "Engines " + id),
                "address", Map.of("city", "London"), "lifecycleStage", "customer",
                "updatedAt", "2024-03-01T10:30:00+01:00");

        String canonicalId = given().contentType(ContentType.JSON).body(contact)
                .when().post(WEBHOOK)
                .then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("status", equalTo("applied"))
                .body("sourceId", equalTo(id))
                .body("targetSystem", equalTo("billing"))
                .body("targetId", equalTo(id))
                .body("versionHash", matchesPattern("[0-9a-f]{64}"))
                .extract().path("canonicalId");

        List<Map<String, Object>> rows = TestDatabase.query("SELECT email, first_name, last_name, full_name, phone,"
                + " company, city, status, updated_at FROM demo_contact WHERE external_id = ?", id);
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("email", "ada." + id + "@example.com")
                    .containsEntry("full_name", "Ada Lovelace")
                    .containsEntry("phone", "+44207946" + digits)
                    .containsEntry("company", "Engines " + id)
                    .containsEntry("city", "London")
                    .containsEntry("status", "active");
            assertThat(((Timestamp) row.get("updated_at")).toInstant()).hasToString("2024-03-01T09:30:00Z");
        });

        assertThat(TestDatabase.query("SELECT system, system_id FROM id_map WHERE entity = 'contact' AND canonical_id = ?"
                + " ORDER BY system", canonicalId))
                .containsExactly(Map.of("system", "billing", "system_id", id), Map.of("system", "crm", "system_id", id));

        given().when().get("/demo/contacts")
                .then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("external_id", hasItem(id));
    }

    @Test
    void laterEventForTheSameContactUpdatesItsRowAndKeepsItsCanonicalId() {
        String id = "c-" + UUID.randomUUID();
        String first = given().contentType(ContentType.JSON)
                .body(Map.of("id", id, "email", id + "@example.com", "lastName", "Hopper"))
                .when().post(WEBHOOK).then().statusCode(200).body("action", equalTo("created"))
                .extract().path("canonicalId");
        String second = given().contentType(ContentType.JSON)
                .body(Map.of("id", id, "email", "Grace." + id + "@example.com", "lastName", "Hopper"))
                .when().post(WEBHOOK).then().statusCode(200)
                .body("action", equalTo("updated"))
                .body("matchRule", equalTo("idMap"))
                .extract().path("canonicalId");

        assertThat(second).isEqualTo(first);
        assertThat(TestDatabase.query("SELECT email FROM demo_contact WHERE external_id = ?", id))
                .containsExactly(Map.of("email", "grace." + id + "@example.com"));
    }

    @Test
    void rejectedRecordIsDeadLetteredWithItsReasonsAndPayload() {
        String id = "c-" + UUID.randomUUID();
        String payload = "{\"id\":\"" + id + "\",\"phone\":\"12ab\"}";

        Integer deadLetterId = given().contentType(ContentType.JSON).body(payload)
                .when().post(WEBHOOK)
                .then().statusCode(422)
                .body("error", equalTo("record_rejected"))
                .body("problems.size()", equalTo(2))
                .extract().path("deadLetterId");

        assertThat(TestDatabase.query("SELECT route_id, entity, source_system, payload, reason, status FROM dead_letter WHERE id = ?",
                deadLetterId.longValue())).singleElement().satisfies(row -> {
                    assertThat(row).containsEntry("route_id", "demo-contacts-webhook")
                            .containsEntry("entity", "contact")
                            .containsEntry("source_system", "crm")
                            .containsEntry("payload", payload)
                            .containsEntry("status", "new");
                    assertThat((String) row.get("reason")).contains("required field email").contains("12ab");
                });
        assertThat(TestDatabase.query("SELECT 1 FROM demo_contact WHERE external_id = ?", id)).isEmpty();
    }

    @Test
    void recordMissingAHoldFieldIsQueuedForReviewNotWritten() {
        String id = "c-" + UUID.randomUUID();

        Integer reviewItemId = given().contentType(ContentType.JSON).body(Map.of("id", id, "email", id + "@example.com"))
                .when().post(WEBHOOK)
                .then().statusCode(202)
                .body("status", equalTo("held"))
                .body("reasons[0]", matchesPattern(".*required field lastName.*"))
                .extract().path("reviewItemId");

        assertThat(TestDatabase.query("SELECT kind, entity, source_system, source_id, status FROM review_item WHERE id = ?",
                reviewItemId.longValue())).containsExactly(Map.of("kind", "held_record", "entity", "contact",
                "source_system", "crm", "source_id", id, "status", "open"));
        assertThat(TestDatabase.query("SELECT 1 FROM demo_contact WHERE external_id = ?", id)).isEmpty();
    }
}
