package io.syncline.connector;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.StoreTablesProfile;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A system type added by implementing the connector contract alone ({@link InMemorySystemType},
 * a test bean; no engine class names it): a model whose ledger is {@code type: memory}
 * (src/test/resources/memory-routes, on {@link StoreTablesProfile}) syncs to it in real time, matching an existing record by
 * the type's search, reconciles against it with an auto-fix, and erases a person there.
 */
@QuarkusTest
@TestProfile(StoreTablesProfile.class)
@WithTestResource(PostgresDatabaseResource.class)
class PluggedSystemTypeTest {

    private static final String WEBHOOK = "/webhooks/memory/contacts";

    @Inject
    InMemorySystemType memory;

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    private static void crmTable() {
        TestDatabase.update("CREATE TABLE IF NOT EXISTS memory_crm_contact (id VARCHAR(64) PRIMARY KEY, email VARCHAR(320),"
                + " name VARCHAR(200))");
    }

    private static String finalStatus(long inboxId) {
        return (String) TestDatabase.awaitRows("SELECT status FROM inbox WHERE id = ? AND status IN ('done', 'held', 'dead',"
                + " 'refused')", inboxId).get(0).get("status");
    }

    private static long post(Map<String, Object> contact) {
        Integer id = given().contentType(ContentType.JSON).body(contact).when().post(WEBHOOK)
                .then().statusCode(202).extract().path("inboxId");
        return id.longValue();
    }

    private Map<String, Object> seed(String email, String name) {
        String ref = "seed-" + UUID.randomUUID();
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("ref", ref);
        record.put("email", email);
        record.put("name", name);
        memory.records("ledger").put(ref, record);
        return record;
    }

    @Test
    void aRecordIsMatchedByTheTypesSearchAndUpdatedInPlace() {
        String crmId = "c-" + UUID.randomUUID();
        String email = crmId + "@example.com";
        Map<String, Object> existing = seed(email, "A. Lovelace");

        long inboxId = post(Map.of("id", crmId, "email", email.toUpperCase(), "name", "Ada Lovelace"));

        assertThat(finalStatus(inboxId)).isEqualTo("done");
        String ref = (String) existing.get("ref");
        assertThat(memory.records("ledger").get(ref)).containsEntry("name", "Ada Lovelace").containsEntry("crm_id", crmId);
        assertThat(memory.records("ledger").values()).filteredOn(record -> email.equals(record.get("email"))).hasSize(1);
        assertThat(TestDatabase.query("SELECT system_id FROM id_map WHERE entity = 'contact' AND system = 'ledger'"
                + " AND canonical_id = (SELECT canonical_id FROM id_map WHERE system = 'crm' AND system_id = ?)", crmId))
                .extracting(row -> row.get("system_id")).containsExactly(ref);
        assertThat(TestDatabase.query("SELECT action, detail FROM audit_log WHERE inbox_id = ?", inboxId))
                .extracting(row -> row.get("action")).containsExactly("updated");

        // a new e-mail: the ID map still knows the record, though no rule of the entity asks it
        long changed = post(Map.of("id", crmId, "email", "new-" + email, "name", "Ada Lovelace"));
        assertThat(finalStatus(changed)).isEqualTo("done");
        assertThat(memory.records("ledger").get(ref)).containsEntry("email", "new-" + email);
        assertThat(memory.records("ledger").values()).filteredOn(record -> crmId.equals(record.get("crm_id"))).hasSize(1);
    }

    @Test
    void reconciliationPullsTheTypeAndAutoFixesWhatItLacks() {
        crmTable();
        String synced = "r-" + UUID.randomUUID();
        String missing = "r-" + UUID.randomUUID();
        TestDatabase.update("INSERT INTO memory_crm_contact (id, email, name) VALUES (?, ?, ?), (?, ?, ?)",
                synced, synced + "@example.com", "Synced", missing, missing + "@example.com", "Missing");
        assertThat(finalStatus(post(Map.of("id", synced, "email", synced + "@example.com", "name", "Synced")))).isEqualTo("done");

        admin().when().post("/admin/reconciliations/contacts-crm-ledger/runs")
                .then().statusCode(200).body("status", equalTo("ok"));

        await().atMost(Duration.ofSeconds(30)).until(() -> memory.records("ledger").values().stream()
                .anyMatch(record -> missing.equals(record.get("crm_id"))));
        assertThat(memory.records("ledger").values()).filteredOn(record -> missing.equals(record.get("crm_id")))
                .singleElement().satisfies(record -> assertThat(record).containsEntry("name", "Missing"))
                .satisfies(record -> assertThat((String) record.get("ref")).as("an id of the type's own settings").startsWith("L-"));
    }

    @Test
    void anErasureRequestErasesThePersonInTheType() {
        String crmId = "e-" + UUID.randomUUID();
        String email = crmId + "@example.com";
        assertThat(finalStatus(post(Map.of("id", crmId, "email", email, "name", "Grace Hopper")))).isEqualTo("done");
        assertThat(memory.records("ledger").values()).anyMatch(record -> email.equals(record.get("email")));

        Integer request = admin().contentType(ContentType.JSON)
                .body(Map.of("kind", "erasure", "entity", "contact", "field", "email", "value", email))
                .when().post("/admin/privacy-requests").then().statusCode(201).extract().path("id");
        admin().when().post("/admin/privacy-requests/" + request + "/confirm").then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(admin().when()
                .get("/admin/privacy-requests/" + request).then().extract().path("status")));
        assertThat(memory.records("ledger").values()).noneMatch(record -> email.equals(record.get("email")));
    }
}
