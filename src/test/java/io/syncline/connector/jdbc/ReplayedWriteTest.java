package io.syncline.connector.jdbc;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.ErpOnMariaDbProfile;
import io.syncline.testsupport.MariaDbTargetResource;
import io.syncline.testsupport.MariaDbTestDatabase;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ERP on MariaDB (src/test/resources/mariadb-routes, its leads) commits an event's row at once,
 * the state store afterwards: an attempt that ends between the two (crash-after-erp-write.camel.yaml,
 * as a kill would) leaves a row with no record state, audit entry or link. The retry finds the row as
 * the event writes it and records the write it completes: the create, then for the next change
 * the update with its diff, never {@code unchanged}; and the row is linked in the ID map.
 */
@QuarkusTest
@TestProfile(ErpOnMariaDbProfile.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(MariaDbTargetResource.class)
class ReplayedWriteTest {

    private static final String LEADS = "/webhooks/demo/leads";

    /** Posts a lead and returns its inbox id, checking the 202 answer. */
    private static long accept(Map<String, Object> lead) {
        Integer inboxId = given().contentType(ContentType.JSON).body(lead).when().post(LEADS).then().statusCode(202)
                .extract().path("inboxId");
        return inboxId.longValue();
    }

    private static Map<String, Object> lead(String id, String lastName) {
        return Map.of("id", id, "email", id + "@example.com", "lastName", lastName);
    }

    private static List<Map<String, Object>> erpRow(String customerNo) {
        return MariaDbTestDatabase.query("SELECT last_name FROM " + MariaDbTargetResource.TABLE + " WHERE customer_no = ?",
                customerNo);
    }

    /** The audit entries of an inbox event's writes to the ERP. */
    private static List<Map<String, Object>> applied(long inboxId) {
        return TestDatabase.query("SELECT action, target_id, diff FROM audit_log WHERE inbox_id = ? AND target_system = 'erp'"
                + " AND action IN ('created', 'updated', 'unchanged')", inboxId);
    }

    @Test
    void anAttemptThatEndedAfterTheErpCommittedIsCompletedAsTheWriteItMade() {
        String id = "crash-" + UUID.randomUUID();

        long created = accept(lead(id, "Byron"));

        assertThat(DemoWebhook.finalStatus(created)).isEqualTo("done");
        assertThat(TestDatabase.query("SELECT attempts FROM inbox WHERE id = ?", created))
                .as("the first attempt ended after the ERP's commit").containsExactly(Map.of("attempts", 2));
        assertThat(erpRow(id)).containsExactly(Map.of("last_name", "Byron"));
        assertThat(applied(created)).singleElement().satisfies(entry -> assertThat(entry)
                .containsEntry("action", "created").containsEntry("target_id", id));
        assertThat(TestDatabase.query("SELECT system_id FROM id_map m WHERE m.entity = 'lead' AND m.system = 'erp'"
                + " AND m.canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'lead' AND system = 'crm' AND system_id = ?)", id))
                .containsExactly(Map.of("system_id", id));

        long updated = accept(lead(id, "Lovelace"));

        assertThat(DemoWebhook.finalStatus(updated)).isEqualTo("done");
        assertThat(erpRow(id)).containsExactly(Map.of("last_name", "Lovelace"));
        assertThat(applied(updated)).singleElement().satisfies(entry -> assertThat(entry)
                .containsEntry("action", "updated")
                .satisfies(row -> assertThat((String) row.get("diff")).contains("lastName", "Byron", "Lovelace")
                        .doesNotContain("email")));
    }

    @Test
    void aFirstAttemptThatFindsItsValuesThereIsUnchanged() {
        String id = "there-" + UUID.randomUUID();
        MariaDbTestDatabase.execute("INSERT INTO " + MariaDbTargetResource.TABLE + " (customer_no, email, last_name)"
                + " VALUES ('" + id + "', '" + id + "@example.com', 'Byron')");

        long inboxId = accept(lead(id, "Byron"));

        assertThat(DemoWebhook.finalStatus(inboxId)).isEqualTo("done");
        assertThat(applied(inboxId)).singleElement().satisfies(entry -> assertThat(entry).containsEntry("action", "unchanged"));
    }
}
