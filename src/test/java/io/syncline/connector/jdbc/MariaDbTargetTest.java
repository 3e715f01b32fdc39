package io.syncline.connector.jdbc;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.ErpOnMariaDbProfile;
import io.syncline.testsupport.InboxBacklog;
import io.syncline.testsupport.MariaDbTargetResource;
import io.syncline.testsupport.MariaDbTestDatabase;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JDBC target on a real MariaDB, declared by YAML alone (src/test/resources/mariadb-routes:
 * system {@code erp} by url, credentials from the environment): CRM contacts posted to the
 * webhook go through the durable inbox and land in {@code erp_contact}, created then updated,
 * normalised, with timestamps stored as UTC in DATETIME and TIMESTAMP columns; a row the ERP
 * already had is found by e-mail and updated under its own key. An order's lines are rows of
 * {@code erp_order_lines}, written with the order, alone or in a backlog's batches.
 */
@QuarkusTest
@TestProfile(ErpOnMariaDbProfile.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(MariaDbTargetResource.class)
class MariaDbTargetTest {

    /** The row as MariaDB itself shows it: DATETIME as stored, TIMESTAMP as epoch seconds, DATE as text. */
    private static final String ROW = "SELECT customer_no, email, first_name, last_name, phone, company, status,"
            + " DATE_FORMAT(customer_since, '%Y-%m-%d') AS customer_since,"
            + " CAST(UNIX_TIMESTAMP(created_at) AS SIGNED) AS created_epoch,"
            + " DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%s') AS updated_at"
            + " FROM " + MariaDbTargetResource.TABLE + " WHERE customer_no = ?";

    private static Map<String, Object> contact(String id, String digits, String lastName, String updatedAt) {
        Map<String, Object> contact = new HashMap<>(Map.of("id", id, "email", " Ada." + id + "@Example.COM ",
                "firstName", "Ada", "lastName", lastName, "phone", "020 7946 " + digits,
                "company", Map.of("name", " Engines " + id + " "), "lifecycleStage", "customer",
                "customerSince", "2021-05-04", "createdAt", "2024-03-01T10:30:00+01:00"));
        contact.put("updatedAt", updatedAt);
        return contact;
    }

    private static List<Map<String, Object>> erpRow(String customerNo) {
        return MariaDbTestDatabase.query(ROW, customerNo);
    }

    @Test
    void contactIsCreatedThenUpdatedInMariaDbNormalisedWithUtcTimestamps() {
        String id = "c-" + UUID.randomUUID();
        String digits = String.format("%04d", ThreadLocalRandom.current().nextInt(10_000));

        long created = DemoWebhook.accept(contact(id, digits, "Byron", "2024-03-01T10:30:00+01:00"));

        assertThat(DemoWebhook.finalStatus(created)).isEqualTo("done");
        assertThat(erpRow(id)).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("email", "ada." + id + "@example.com")
                .containsEntry("first_name", "Ada")
                .containsEntry("last_name", "Byron")
                .containsEntry("phone", "+44207946" + digits)
                .containsEntry("company", "Engines " + id)
                .containsEntry("status", "active")
                .containsEntry("customer_since", "2021-05-04")
                // 2024-03-01T09:30:00Z, whatever the session's zone
                .containsEntry("created_epoch", 1_709_285_400L)
                .containsEntry("updated_at", "2024-03-01T09:30:00"));

        long updated = DemoWebhook.accept(contact(id, digits, "Lovelace", "2024-03-02T08:00:00-05:00"));

        assertThat(DemoWebhook.finalStatus(updated)).isEqualTo("done");
        assertThat(erpRow(id)).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("last_name", "Lovelace")
                .containsEntry("updated_at", "2024-03-02T13:00:00")
                .containsEntry("created_epoch", 1_709_285_400L));
        assertThat(TestDatabase.query("SELECT system_id FROM id_map m WHERE m.entity = 'contact' AND m.system = 'erp'"
                + " AND m.canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'contact' AND system = 'crm' AND system_id = ?)", id))
                .containsExactly(Map.of("system_id", id));
    }

    @Test
    void rowTheErpAlreadyHadIsFoundByEmailAndUpdatedUnderItsOwnKey() {
        String id = "c-" + UUID.randomUUID();
        String erpNumber = "ERP-" + ThreadLocalRandom.current().nextInt(1_000_000);
        MariaDbTestDatabase.execute("INSERT INTO " + MariaDbTargetResource.TABLE + " (customer_no, email, last_name)"
                + " VALUES ('" + erpNumber + "', ' ADA." + id.toUpperCase(java.util.Locale.ROOT) + "@example.com', 'Old')");

        long inboxId = DemoWebhook.accept(contact(id, "0018", "Lovelace", "2024-03-01T10:30:00+01:00"));

        assertThat(DemoWebhook.finalStatus(inboxId)).isEqualTo("done");
        assertThat(erpRow(erpNumber)).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("email", "ada." + id + "@example.com")
                .containsEntry("last_name", "Lovelace"));
        assertThat(erpRow(id)).as("no second row under the CRM's id").isEmpty();
        assertThat(TestDatabase.query("SELECT system_id FROM id_map WHERE entity = 'contact' AND system = 'erp'"
                + " AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'contact' AND system = 'crm' AND system_id = ?)", id))
                .containsExactly(Map.of("system_id", erpNumber));
    }

    private static Map<String, Object> order(String id, List<Map<String, Object>> lines) {
        return Map.of("id", id, "note", "rush", "lines", lines);
    }

    private static Map<String, Object> orderLine(int number, String sku, Object quantity) {
        return Map.of("lineNo", number, "sku", sku, "quantity", quantity, "shipBy", "2024-03-0" + number);
    }

    /** The order's lines as MariaDB holds them: "line_no sku quantity ship_by @position", by line number. */
    private static List<String> erpOrderLines(String orderId) {
        return MariaDbTestDatabase.query("SELECT line_no, sku, quantity, DATE_FORMAT(ship_by, '%Y-%m-%d') AS ship_by, position FROM "
                + MariaDbTargetResource.ORDER_LINES + " WHERE order_id = ? ORDER BY line_no", orderId).stream()
                .map(row -> row.get("line_no") + " " + row.get("sku") + " " + row.get("quantity") + " " + row.get("ship_by") + " @"
                        + row.get("position"))
                .toList();
    }

    private static long postOrder(Map<String, Object> order) {
        Integer inboxId = given().contentType(ContentType.JSON).body(order).when().post("/webhooks/demo/orders")
                .then().statusCode(202).extract().path("inboxId");
        return inboxId.longValue();
    }

    @Test
    void anOrdersLinesAreRowsOfItsChildTableInMariaDbAlsoInABacklog() {
        String id = "o-" + UUID.randomUUID();

        assertThat(DemoWebhook.finalStatus(postOrder(order(id, List.of(orderLine(1, "A", 2), orderLine(2, "B", "1.5"),
                orderLine(3, "C", 4)))))).isEqualTo("done");
        assertThat(erpOrderLines(id)).containsExactly("1 A 2.00 2024-03-01 @1", "2 B 1.50 2024-03-02 @2", "3 C 4.00 2024-03-03 @3");

        // line 2 changes, line 3 goes, line 4 comes: the rows follow, each line's place with it
        assertThat(DemoWebhook.finalStatus(postOrder(order(id, List.of(orderLine(1, "A", 2), orderLine(2, "B", 5),
                orderLine(4, "D", 1)))))).isEqualTo("done");
        assertThat(erpOrderLines(id)).containsExactly("1 A 2.00 2024-03-01 @1", "2 B 5.00 2024-03-02 @2", "4 D 1.00 2024-03-04 @3");

        String run = "ob-" + UUID.randomUUID().toString().substring(0, 8);
        List<Long> backlog = InboxBacklog.storeIn(TestDatabase.url(), "order", "crm", "erp", List.of(
                order(run + "-1", List.of(orderLine(1, "X", 1))), order(run + "-2", List.of(orderLine(1, "Y", 2), orderLine(2, "Z", 3)))));
        DemoWebhook.awaitDrained(run);
        assertThat(TestDatabase.query("SELECT DISTINCT status FROM inbox WHERE id = ANY(?)", (Object) backlog.toArray(Long[]::new)))
                .containsExactly(Map.of("status", "done"));
        assertThat(erpOrderLines(run + "-1")).containsExactly("1 X 1.00 2024-03-01 @1");
        assertThat(erpOrderLines(run + "-2")).containsExactly("1 Y 2.00 2024-03-01 @1", "2 Z 3.00 2024-03-02 @2");
    }
}
