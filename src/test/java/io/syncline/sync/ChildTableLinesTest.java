package io.syncline.sync;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.InboxBacklog;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A document whose lines are rows of a child table of the ERP (src/test/resources/related-routes:
 * the CRM's orders into {@code rel_orders}, each line a row of {@code rel_order_lines} whose
 * {@code order_id} is a foreign key to its order): a new order's lines are inserted with it, a
 * change of the lines updates, deletes and inserts rows by the line's number, each line's product
 * is the ERP's product code; a backlog of orders is applied in batches; and reconciliation with
 * the CRM database's orders (lines in a jsonb column) finds them equal when in sync and a
 * difference of {@code lines} when a row of the child table was changed behind Syncline's back.
 */
@QuarkusTest
@WithTestResource(RelatedRecordsTest.Tables.class)
class ChildTableLinesTest {

    @Inject
    MeterRegistry meters;

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    private static long post(String path, Map<String, Object> body) {
        Integer inboxId = given().contentType(ContentType.JSON).body(body).when().post(path)
                .then().statusCode(202).extract().path("inboxId");
        return inboxId.longValue();
    }

    private static Map<String, Object> line(int number, String product, Object quantity) {
        return Map.of("lineNo", number, "productId", product, "quantity", quantity);
    }

    private static Map<String, Object> order(String id, List<Map<String, Object>> lines) {
        return Map.of("id", id, "note", "deliver by noon", "lines", lines);
    }

    private void products(String... ids) {
        for (String product : ids) {
            assertThat(DemoWebhook.finalStatus(post("/webhooks/related/products", Map.of("id", product, "name", "Widget"))))
                    .isEqualTo("done");
        }
    }

    /** The order's child rows as "line_no product_code quantity", by line number. */
    private static List<String> erpLines(String orderId) {
        return TestDatabase.query("SELECT line_no, product_code, quantity FROM rel_order_lines WHERE order_id = ? ORDER BY line_no",
                orderId).stream().map(row -> row.get("line_no") + " " + row.get("product_code") + " " + row.get("quantity")).toList();
    }

    private static List<String> actions(long inboxId) {
        return TestDatabase.query("SELECT action FROM audit_log WHERE inbox_id = ? AND target_system = 'erp' ORDER BY id", inboxId)
                .stream().map(row -> (String) row.get("action")).toList();
    }

    @Test
    void anOrdersLinesAreRowsOfTheChildTableKeptEqualToTheDocumentsLines() {
        String orderId = "ord-" + suffix;
        String p1 = "p1-" + suffix;
        String p2 = "p2-" + suffix;
        String p3 = "p3-" + suffix;
        String p4 = "p4-" + suffix;
        products(p1, p2, p3, p4);

        long created = post("/webhooks/related/orders", order(orderId, List.of(line(1, p1, 2), line(2, p2, "1.5"), line(3, p3, 4))));

        assertThat(DemoWebhook.finalStatus(created)).isEqualTo("done");
        assertThat(actions(created)).containsExactly("created");
        assertThat(TestDatabase.query("SELECT note FROM rel_orders WHERE id = ?", orderId)).containsExactly(Map.of("note",
                "deliver by noon"));
        assertThat(erpLines(orderId)).containsExactly("1 " + p1.toUpperCase() + " 2.00", "2 " + p2.toUpperCase() + " 1.50",
                "3 " + p3.toUpperCase() + " 4.00");

        // line 2's quantity changes, line 3 goes, line 4 comes
        long changed = post("/webhooks/related/orders", order(orderId, List.of(line(1, p1, 2), line(2, p2, 5), line(4, p4, 1))));

        assertThat(DemoWebhook.finalStatus(changed)).isEqualTo("done");
        assertThat(actions(changed)).containsExactly("updated");
        assertThat(erpLines(orderId)).containsExactly("1 " + p1.toUpperCase() + " 2.00", "2 " + p2.toUpperCase() + " 5.00",
                "4 " + p4.toUpperCase() + " 1.00");
        String diff = (String) TestDatabase.query("SELECT diff FROM audit_log WHERE inbox_id = ? AND action = 'updated'", changed)
                .get(0).get("diff");
        assertThat(diff).contains("\"lines\":{\"from\":").doesNotContain("\"note\"");

        // the same lines in another order: the same document, read back equal
        long again = post("/webhooks/related/orders", order(orderId, List.of(line(4, p4, 1), line(2, p2, 5), line(1, p1, 2))));
        assertThat(DemoWebhook.finalStatus(again)).isEqualTo("done");
        assertThat(actions(again)).containsExactly("skipped-duplicate");
    }

    @Test
    void aBacklogOfOrdersIsAppliedInBatchesEachWithItsLines() {
        String product = "pb-" + suffix;
        products(product);
        double committed = InboxBacklog.batchedEvents(meters, "committed");
        List<Map<String, Object>> orders = IntStream.range(0, 6).<Map<String, Object>>mapToObj(i -> order("ordb-" + suffix + "-" + i,
                IntStream.rangeClosed(1, i % 3 + 1).mapToObj(number -> line(number, product, number * 10)).toList())).toList();

        List<Long> ids = InboxBacklog.storeIn(TestDatabase.url(), "order", "crm", "erp", orders);
        DemoWebhook.awaitDrained("ordb-" + suffix);

        assertThat(TestDatabase.query("SELECT status, count(*) AS n FROM inbox WHERE id = ANY(?) GROUP BY status",
                (Object) ids.toArray(Long[]::new))).containsExactly(Map.of("status", "done", "n", 6L));
        assertThat(InboxBacklog.batchedEvents(meters, "committed") - committed).isGreaterThan(1);
        for (int i = 0; i < 6; i++) {
            List<String> expected = new ArrayList<>();
            for (int number = 1; number <= i % 3 + 1; number++) {
                expected.add(number + " " + product.toUpperCase() + " " + number * 10 + ".00");
            }
            assertThat(erpLines("ordb-" + suffix + "-" + i)).containsExactlyElementsOf(expected);
        }
    }

    private static JsonPath reconcile() {
        return given().auth().preemptive().basic("admin", "test-only-password").when().post("/admin/reconciliations/orders-crm-erp/runs")
                .then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> difference(long runId, String key) {
        List<Map<String, Object>> found = TestDatabase.query("SELECT bucket, fields FROM reconciliation_difference WHERE run_id = ?"
                + " AND record_key = ?", runId, key);
        return found.isEmpty() ? null : found.get(0);
    }

    @Test
    void reconciliationFindsTheLinesEqualWhenInSyncAndADifferenceOfLinesWhenARowChanged() {
        String orderId = "ordr-" + suffix;
        String product = ("pr-" + suffix).toUpperCase();
        TestDatabase.update("INSERT INTO rel_product (code, name) VALUES (?, 'Widget')", product);
        TestDatabase.update("INSERT INTO rel_crm_order (id, note, lines) VALUES (?, 'rush', CAST(? AS JSONB))", orderId,
                "[{\"line_no\": 2, \"product\": \"" + product + "\", \"quantity\": 1.5},"
                        + " {\"line_no\": 1, \"product\": \"" + product + "\", \"quantity\": 3}]");
        TestDatabase.update("INSERT INTO rel_orders (id, note) VALUES (?, 'rush')", orderId);
        TestDatabase.update("INSERT INTO rel_order_lines (order_id, line_no, product_code, quantity) VALUES (?, 1, ?, 3), (?, 2, ?, 1.5)",
                orderId, product, orderId, product);

        JsonPath inSync = reconcile();
        assertThat(difference(inSync.getLong("id"), orderId)).isNull();

        TestDatabase.update("UPDATE rel_order_lines SET quantity = 4 WHERE order_id = ? AND line_no = 2", orderId);
        JsonPath changed = reconcile();

        Map<String, Object> difference = difference(changed.getLong("id"), orderId);
        assertThat(difference).containsEntry("bucket", "mismatched");
        assertThat((String) difference.get("fields")).contains("\"field\":\"lines\"").doesNotContain("\"note\"");
    }

    @Test
    void erasingAnOrderDeletesItsLinesAndEmptiesItsRow() {
        String orderId = "orde-" + suffix;
        String product = "pe-" + suffix;
        products(product);
        assertThat(DemoWebhook.finalStatus(post("/webhooks/related/orders", order(orderId, List.of(line(1, product, 1),
                line(2, product, 2)))))).isEqualTo("done");
        assertThat(erpLines(orderId)).hasSize(2);

        Integer id = given().auth().preemptive().basic("admin", "test-only-password").contentType(ContentType.JSON)
                .body(Map.of("kind", "erasure", "entity", "order", "system", "crm", "id", orderId)).when().post("/admin/privacy-requests")
                .then().statusCode(201).extract().path("id");
        given().auth().preemptive().basic("admin", "test-only-password").when().post("/admin/privacy-requests/" + id + "/confirm")
                .then().statusCode(200);

        TestDatabase.awaitRows("SELECT 1 FROM rel_orders WHERE id = ? AND note IS NULL", orderId);
        assertThat(erpLines(orderId)).isEmpty();
    }
}
