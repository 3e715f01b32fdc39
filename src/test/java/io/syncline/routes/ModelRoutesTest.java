package io.syncline.routes;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.HubSpotStubResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The routes come from the model (src/test/resources/model-routes): members reach billing's table
 * and HubSpot with no route file at all; leads reach billing through the template with a hook
 * written in YAML; accounts reach billing through a route file that replaces the template.
 */
@QuarkusTest
@WithTestResource(value = HubSpotStubResource.class,
        initArgs = @ResourceArg(name = HubSpotStubResource.FOLDER, value = "model-routes"))
class ModelRoutesTest {

    private static final String DATABASE = HubSpotStubResource.databaseOf("model-routes");

    HubSpotStub hubspot;

    @Inject
    CamelContext camel;

    @BeforeAll
    static void billingTables() throws SQLException {
        try (Connection connection = TestDatabase.connect(DATABASE); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS model_member (member_no VARCHAR(64) PRIMARY KEY,"
                    + " email VARCHAR(320), name VARCHAR(200))");
            statement.execute("CREATE TABLE IF NOT EXISTS model_lead (lead_no VARCHAR(64) PRIMARY KEY, email VARCHAR(320))");
            statement.execute("CREATE TABLE IF NOT EXISTS model_lead_hook_notice (inbox_id BIGINT NOT NULL,"
                    + " source_id VARCHAR(64), canonical_id VARCHAR(64), target_id VARCHAR(64))");
            statement.execute("CREATE TABLE IF NOT EXISTS model_account (account_no VARCHAR(64) PRIMARY KEY, name VARCHAR(200))");
            statement.execute("ALTER TABLE model_account ADD COLUMN IF NOT EXISTS updated_at TIMESTAMP WITH TIME ZONE");
        }
    }

    private static long post(String path, Map<String, Object> record) {
        Integer inboxId = given().contentType(ContentType.JSON).body(record)
                .when().post(path)
                .then().statusCode(202).body("status", equalTo("accepted"))
                .extract().path("inboxId");
        return inboxId.longValue();
    }

    private static List<Map<String, Object>> awaitRows(String sql, Object... parameters) {
        return TestDatabase.awaitRowsOn(DATABASE, sql, parameters);
    }

    private static String status(long inboxId) {
        return (String) awaitRows("SELECT status FROM inbox WHERE id = ? AND status IN ('done', 'held', 'dead', 'refused')", inboxId)
                .get(0).get("status");
    }

    @Test
    void aMemberReachesBillingAndHubSpotWithoutARouteFile() {
        String id = "m-" + UUID.randomUUID();
        long inboxId = post("/webhooks/shop/members", Map.of("id", id, "email", id + "@Example.com", "name", "Hopper"));

        assertThat(status(inboxId)).isEqualTo("done");
        assertThat(awaitRows("SELECT email, name FROM model_member WHERE member_no = ?", id))
                .containsExactly(Map.of("email", id + "@example.com", "name", "Hopper"));
        String hubspotId = (String) awaitRows("SELECT system_id FROM id_map WHERE entity = 'member' AND system = 'hubspot'"
                + " AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'member' AND system = 'shop'"
                + " AND system_id = ?)", id).get(0).get("system_id");
        assertThat(hubspot.contact(hubspotId)).containsEntry("shop_member_id", id).containsEntry("lastname", "Hopper");
        // one webhook route, a fan-out and an apply route per target, all from the packaged templates
        assertThat(List.of("shop-member-webhook", "member-from-shop", "member-shop-to-billing", "member-shop-to-hubspot"))
                .allSatisfy(route -> assertThat(camel.getRoute(route)).as(route).isNotNull());
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT target_system FROM audit_log WHERE inbox_id = ? AND action = 'created'"
                + " ORDER BY target_system", inboxId))
                .extracting(row -> row.get("target_system")).containsExactly("billing", "hubspot");
    }

    @Test
    void aLeadsHooksChangeItsValuesBeforeTheWriteAndRunAfterIt() {
        String id = "l-" + UUID.randomUUID();
        long inboxId = post("/webhooks/shop/leads", Map.of("id", id, "email", id + "@example.com"));

        assertThat(status(inboxId)).isEqualTo("done");
        // the beforeWrite hook changed the e-mail: billing holds its value, and the audit says whose change it was
        assertThat(awaitRows("SELECT email FROM model_lead WHERE lead_no = ?", id))
                .containsExactly(Map.of("email", "stamped-" + inboxId + "@example.com"));
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT detail FROM audit_log WHERE inbox_id = ? AND action = 'created'",
                inboxId)).singleElement().satisfies(row -> assertThat(row.get("detail").toString())
                        .contains("beforeWrite hook direct:stamp-lead changed email"));
        // the afterWrite hook reads the record's ids from the exchange contract's properties
        String canonicalId = (String) TestDatabase.queryOn(DATABASE,
                "SELECT canonical_id FROM id_map WHERE entity = 'lead' AND system = 'shop' AND system_id = ?", id)
                .get(0).get("canonical_id");
        assertThat(TestDatabase.queryOn(DATABASE,
                "SELECT source_id, canonical_id, target_id FROM model_lead_hook_notice WHERE inbox_id = ?", inboxId))
                .containsExactly(Map.of("source_id", id, "canonical_id", canonicalId, "target_id", id));

        // the same lead again is a duplicate: the idempotent consumer stops it before the hook
        long again = post("/webhooks/shop/leads", Map.of("id", id, "email", id + "@example.com"));
        assertThat(status(again)).isEqualTo("done");
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT action FROM audit_log WHERE inbox_id = ?", again))
                .extracting(row -> row.get("action")).containsExactly("skipped-duplicate");
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT inbox_id FROM model_lead_hook_notice WHERE inbox_id = ?", again))
                .isEmpty();
    }

    @Test
    void anAccountTakesTheRouteFileThatReplacesItsTemplate() {
        String id = "a-" + UUID.randomUUID();
        long inboxId = post("/webhooks/shop/accounts", Map.of("id", id, "name", "Analytical Engines Ltd"));

        assertThat(status(inboxId)).isEqualTo("done");
        assertThat(awaitRows("SELECT name FROM model_account WHERE account_no = ?", id))
                .containsExactly(Map.of("name", "Analytical Engines Ltd"));
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT actor FROM audit_log WHERE inbox_id = ? AND action = 'created'",
                inboxId)).containsExactly(Map.of("actor", "accounts-to-billing"));
        // the engine's guarantees around the route file's own route
        assertThat(camel.getRoute("account-shop-to-billing")).as("apply-route around the route file").isNotNull();
        assertThat(camel.getRoute("accounts-to-billing")).as("the route file's route").isNotNull();
    }

    /**
     * The route file leaves out every guard step (transformer, privacy guard, ID map, idempotent
     * consumer): a duplicate is still applied once, a stale change still dropped, and an erased
     * person still refused, because Syncline runs them around it.
     */
    @Test
    void aRouteFileThatLeavesOutEveryGuardStepCannotSkipWhatTheEngineGuarantees() {
        String id = "a-" + UUID.randomUUID();
        Map<String, Object> account = Map.of("id", id, "name", "Babbage & Co", "updatedAt", "2024-03-02T10:00:00Z");
        assertThat(status(post("/webhooks/shop/accounts", account))).isEqualTo("done");

        long duplicate = post("/webhooks/shop/accounts", account);
        assertThat(status(duplicate)).isEqualTo("done");
        assertThat(actions(duplicate)).containsExactly("skipped-duplicate");

        long stale = post("/webhooks/shop/accounts", Map.of("id", id, "name", "Old name", "updatedAt", "2024-03-01T10:00:00Z"));
        assertThat(status(stale)).isEqualTo("done");
        assertThat(actions(stale)).containsExactly("skipped-stale");
        assertThat(awaitRows("SELECT name FROM model_account WHERE account_no = ?", id)).containsExactly(Map.of("name", "Babbage & Co"));

        Integer request = admin().contentType(ContentType.JSON)
                .body(Map.of("kind", "erasure", "entity", "account", "system", "shop", "id", id))
                .when().post("/admin/privacy-requests").then().statusCode(201).extract().path("id");
        admin().when().post("/admin/privacy-requests/" + request + "/confirm").then().statusCode(200);
        long late = post("/webhooks/shop/accounts", Map.of("id", id, "name", "Babbage & Co", "updatedAt", "2024-03-03T10:00:00Z"));
        assertThat(status(late)).isEqualTo("refused");
        assertThat(actions(late)).containsExactly("refused");
    }

    private static List<Object> actions(long inboxId) {
        return TestDatabase.queryOn(DATABASE, "SELECT action FROM audit_log WHERE inbox_id = ?", inboxId).stream()
                .map(row -> row.get("action")).toList();
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }
}
