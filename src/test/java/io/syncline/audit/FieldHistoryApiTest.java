package io.syncline.audit;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.TwoWayContacts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * {@code GET /admin/audit/why}: the chain of changes that made one field's value in one system, on
 * the two-way contacts: a webhook, a conflict strategy and a reviewer, in that order, each with its
 * event, source and the value it replaced; entries written before the audit recorded each field's
 * decision read from their detail; and the 400 and 404 answers.
 */
@QuarkusTest
@TestProfile(TwoWayContacts.Profile.class)
@WithTestResource(PostgresDatabaseResource.class)
class FieldHistoryApiTest {

    @BeforeAll
    static void tables() throws SQLException {
        TwoWayContacts.createTables();
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    @Test
    void aWebhookThenAStrategyThenAReviewerAreTheChainInOrder() throws SQLException {
        String id = "why-" + UUID.randomUUID();
        TwoWayContacts.LastNameChain made = TwoWayContacts.lastNameSetByWebhookStrategyAndReviewer(id);

        // Named by its CRM id, without saying so: the ID map finds the record.
        JsonPath why = admin().queryParam("entity", "contact").queryParam("record", id).queryParam("system", "billing")
                .queryParam("field", "lastName").when().get("/admin/audit/why").then().statusCode(200).extract().jsonPath();

        assertThat(why.getString("systemId")).isEqualTo(id);
        assertThat(why.getString("value")).isEqualTo("Hopper");
        List<Map<String, Object>> steps = why.getList("steps");
        assertThat(steps).extracting(step -> step.get("decidedBy")).containsExactly("change", "strategy", "review");
        assertThat(steps).extracting(step -> step.get("sourceSystem")).containsExactly("crm", "crm", "crm");
        assertThat(steps).extracting(step -> ((Number) step.get("event")).longValue())
                .containsExactly(made.created(), made.conflicting(), made.held());
        assertThat(steps).extracting(step -> step.get("previousValue")).containsExactly(null, "Byron", "Babbage");
        assertThat(steps).extracting(step -> step.get("value")).containsExactly("Lovelace", "Babbage", "Hopper");
        assertThat(steps).extracting(step -> step.get("recorded")).containsOnly(true);
        assertThat(steps.get(0)).containsEntry("action", "created").containsEntry("valueFrom", "crm");
        assertThat(steps.get(1)).containsEntry("strategy", "master-always-wins").containsEntry("kept", "crm")
                .containsEntry("reviewer", null);
        assertThat(steps.get(2)).containsEntry("reviewer", "admin").containsEntry("take", "custom")
                .containsEntry("valueFrom", "review").containsEntry("runId", "review-" + made.reviewItem());
        assertThat(((Number) steps.get(2).get("reviewItem")).longValue()).isEqualTo(made.reviewItem());
        assertThat(at(steps.get(0))).isBefore(at(steps.get(1)));
        assertThat(at(steps.get(1))).isBefore(at(steps.get(2)));

        // The same record by its billing id.
        JsonPath crm = admin().queryParam("entity", "contact").queryParam("record", id).queryParam("by", "billing")
                .queryParam("system", "crm").queryParam("field", "lastName").when().get("/admin/audit/why")
                .then().statusCode(200).extract().jsonPath();
        assertThat(crm.getString("canonicalId")).isEqualTo(why.getString("canonicalId"));
        // The viewer reads it as the console shows it.
        given().auth().preemptive().basic("viewer", "test-only-viewer-password").queryParam("entity", "contact")
                .queryParam("record", id).queryParam("system", "billing").queryParam("field", "lastName")
                .when().get("/admin/audit/why").then().statusCode(200).body("steps.size()", equalTo(3));
    }

    private static Instant at(Map<String, Object> step) {
        return Instant.parse((String) step.get("at"));
    }

    @Test
    void entriesWrittenBeforeDecisionsWereRecordedAreReadFromTheirDetail() {
        String canonicalId = "old-" + UUID.randomUUID();
        TestDatabase.update("INSERT INTO id_map (entity, canonical_id, system, system_id) VALUES ('contact', ?, 'crm', ?)",
                canonicalId, canonicalId + "-crm");
        String insert = "INSERT INTO audit_log (action, entity, canonical_id, source_system, source_id, target_system, target_id,"
                + " run_id, inbox_id, diff, detail, actor) VALUES (?, 'contact', ?, ?, 'x', 'billing', 'y', ?, ?, ?, ?, ?)";
        TestDatabase.update(insert, "updated", canonicalId, "crm", "inbox-901", 901L,
                "{\"city\":{\"from\":\"York\",\"to\":\"Leeds\"},\"email\":{\"from\":\"a@x\",\"to\":\"b@x\"}}",
                "matched by email; conflict on city: last-write-wins kept the crm value", null);
        TestDatabase.update(insert, "updated", canonicalId, "crm", "review-77", 902L, "{\"city\":{\"from\":\"Leeds\",\"to\":\"Hull\"}}",
                "review item 77 resolved by ana: city = custom value", "ana");

        List<Map<String, Object>> steps = admin().queryParam("entity", "contact").queryParam("record", canonicalId + "-crm")
                .queryParam("system", "billing").queryParam("field", "city").when().get("/admin/audit/why")
                .then().statusCode(200).extract().jsonPath().getList("steps");

        assertThat(steps).extracting(step -> step.get("decidedBy")).containsExactly("strategy", "review");
        assertThat(steps.get(0)).containsEntry("strategy", "last-write-wins").containsEntry("kept", "crm")
                .containsEntry("previousValue", "York").containsEntry("recorded", false);
        assertThat(steps.get(1)).containsEntry("reviewer", "ana").containsEntry("take", "custom")
                .containsEntry("previousValue", "Leeds").containsEntry("value", "Hull").containsEntry("reviewItem", 77);
    }

    @Test
    void aMissingOrUnknownParameterIsA400NamingItAndAnUnknownRecordA404() {
        admin().queryParam("entity", "contact").queryParam("record", "x").queryParam("system", "billing")
                .when().get("/admin/audit/why").then().statusCode(400).body("error", equalTo("bad_request"))
                .body("field", equalTo("field"));
        admin().queryParam("entity", "planet").queryParam("record", "x").queryParam("system", "billing")
                .queryParam("field", "city").when().get("/admin/audit/why").then().statusCode(400).body("field", equalTo("entity"));
        admin().queryParam("entity", "contact").queryParam("record", "x").queryParam("system", "erp")
                .queryParam("field", "city").when().get("/admin/audit/why").then().statusCode(400).body("field", equalTo("system"))
                .body("message", containsString("billing"));
        admin().queryParam("entity", "contact").queryParam("record", "x").queryParam("system", "billing")
                .queryParam("field", "shoeSize").when().get("/admin/audit/why").then().statusCode(400).body("field", equalTo("field"));
        admin().queryParam("entity", "contact").queryParam("record", "nobody-" + UUID.randomUUID()).queryParam("system", "billing")
                .queryParam("field", "city").when().get("/admin/audit/why").then().statusCode(404)
                .body("error", equalTo("not_found")).body("message", containsString("nobody-"));
        admin().queryParam("entity", "contact").queryParam("record", "nobody").queryParam("by", "crm").queryParam("system", "billing")
                .queryParam("field", "city").when().get("/admin/audit/why").then().statusCode(404)
                .body("message", containsString("crm id 'nobody'"));
    }
}
