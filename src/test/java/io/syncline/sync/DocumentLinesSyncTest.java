package io.syncline.sync;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A document with lines on the real-time path (src/test/resources/related-routes): the CRM's
 * invoices, QuickBooks-shaped ({@code Line[].SalesItemLineDetail.ItemRef.value}), into the ERP's
 * {@code rel_invoice}, whose lines are one jsonb column. Each line's product arrives as the ERP's
 * product code through the ID map; the document is one record, so that a changed quantity is an
 * update whose audit diff shows the lines, the same document again is a duplicate, and a bad line
 * is a dead letter naming its index and field.
 */
@QuarkusTest
@WithTestResource(RelatedRecordsTest.Tables.class)
class DocumentLinesSyncTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static long post(String path, Map<String, Object> body) {
        Integer inboxId = given().contentType(ContentType.JSON).body(body).when().post(path)
                .then().statusCode(202).extract().path("inboxId");
        return inboxId.longValue();
    }

    private static Map<String, Object> line(int number, String product, Object quantity, String amount) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("ItemRef", Map.of("value", product, "name", "ignored"));
        detail.put("Qty", quantity);
        return Map.of("LineNum", number, "Amount", amount, "DetailType", "SalesItemLineDetail", "SalesItemLineDetail", detail);
    }

    private static Map<String, Object> invoice(String id, List<Map<String, Object>> lines) {
        return Map.of("Id", id, "TotalAmt", "100.00", "Line", lines);
    }

    private static List<Map<String, Object>> erpLines(String invoiceId) {
        List<Map<String, Object>> rows = TestDatabase.query("SELECT lines::text AS lines FROM rel_invoice WHERE id = ?", invoiceId);
        assertThat(rows).hasSize(1);
        try {
            return JSON.readValue((String) rows.get(0).get("lines"), new TypeReference<>() {
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> actions(long inboxId) {
        return TestDatabase.query("SELECT action FROM audit_log WHERE inbox_id = ? AND target_system = 'erp' ORDER BY id", inboxId)
                .stream().map(row -> (String) row.get("action")).toList();
    }

    @Test
    void anInvoiceWithThreeLinesLandsWithTheErpsProductCodesAndAChangedLineIsAnUpdate() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String invoiceId = "inv-" + suffix;
        List<String> products = List.of("p1-" + suffix, "p2-" + suffix, "p3-" + suffix);
        for (String product : products.subList(0, 2)) {
            assertThat(DemoWebhook.finalStatus(post("/webhooks/related/products", Map.of("id", product, "name", "Widget"))))
                    .isEqualTo("done");
        }
        List<Map<String, Object>> lines = new ArrayList<>(List.of(line(1, products.get(0), 2, "20.00"),
                line(2, products.get(1), "1", "9.50"), line(3, products.get(2), 4, "70.50")));

        // the third line's product is not linked yet: the invoice waits for it, naming the line
        long created = post("/webhooks/related/invoices", invoice(invoiceId, lines));
        assertThat((String) TestDatabase.awaitRows("SELECT last_error FROM inbox WHERE id = ? AND status = 'pending'"
                + " AND last_error LIKE 'waiting for parent: %'", created).get(0).get("last_error"))
                .contains("invoice.lines[2].product names product " + products.get(2) + " of crm");
        assertThat(DemoWebhook.finalStatus(post("/webhooks/related/products", Map.of("id", products.get(2), "name", "Gadget"))))
                .isEqualTo("done");

        assertThat(DemoWebhook.finalStatus(created)).isEqualTo("done");
        List<Map<String, Object>> written = erpLines(invoiceId);
        assertThat(written).extracting(row -> row.get("product_code"))
                .containsExactly(products.get(0).toUpperCase(), products.get(1).toUpperCase(), products.get(2).toUpperCase());
        assertThat(written.get(1)).containsEntry("line_no", 2);
        assertThat(((Number) written.get(1).get("qty")).doubleValue()).isEqualTo(1.0);
        assertThat(actions(created)).containsExactly("created");

        // the same document again: one record, one version, nothing written
        long again = post("/webhooks/related/invoices", invoice(invoiceId, lines));
        assertThat(DemoWebhook.finalStatus(again)).isEqualTo("done");
        assertThat(actions(again)).containsExactly("skipped-duplicate");

        // one line's quantity changes: an update of the document, its diff showing the lines
        lines.set(1, line(2, products.get(1), 5, "9.50"));
        long changed = post("/webhooks/related/invoices", invoice(invoiceId, lines));
        assertThat(DemoWebhook.finalStatus(changed)).isEqualTo("done");
        assertThat(actions(changed)).containsExactly("updated");
        assertThat(((Number) erpLines(invoiceId).get(1).get("qty")).doubleValue()).isEqualTo(5.0);
        assertThat(erpLines(invoiceId).get(1)).containsEntry("product_code", products.get(1).toUpperCase());
        String diff = (String) TestDatabase.query("SELECT diff FROM audit_log WHERE inbox_id = ? AND action = 'updated'", changed)
                .get(0).get("diff");
        assertThat(diff).contains("\"lines\":{\"from\":").contains("\"quantity\":5").doesNotContain("\"total\"");
    }

    @Test
    void anInvoiceWhoseLineNamesAProductThatNeverComesIsHeldForReviewNamingTheLine() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String invoiceId = "inv-" + suffix;

        long held = post("/webhooks/related/invoices", invoice(invoiceId, List.of(line(1, "p-never-" + suffix, 1, "10.00"))));

        assertThat(DemoWebhook.finalStatus(held)).isEqualTo("held");
        assertThat(TestDatabase.query("SELECT kind, reason FROM review_item WHERE entity = 'invoice' AND source_id = ?",
                invoiceId)).singleElement().satisfies(item -> {
                    assertThat(item).containsEntry("kind", "held_record");
                    assertThat((String) item.get("reason")).contains("invoice.lines[0].product names product p-never-" + suffix);
                });
        assertThat(TestDatabase.query("SELECT id FROM dead_letter WHERE inbox_id = ?", held)).isEmpty();
        assertThat(TestDatabase.query("SELECT id FROM rel_invoice WHERE id = ?", invoiceId)).isEmpty();
    }

    @Test
    void aBadLineIsADeadLetterNamingItsIndexAndField() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String product = "p-" + suffix;
        assertThat(DemoWebhook.finalStatus(post("/webhooks/related/products", Map.of("id", product, "name", "Widget"))))
                .isEqualTo("done");

        long bad = post("/webhooks/related/invoices", invoice("inv-" + suffix,
                List.of(line(1, product, 1, "10.00"), line(2, product, "lots", "10.00"))));

        assertThat(DemoWebhook.finalStatus(bad)).isEqualTo("dead");
        assertThat(TestDatabase.query("SELECT reason FROM dead_letter WHERE inbox_id = ?", bad)).singleElement()
                .satisfies(row -> assertThat((String) row.get("reason")).contains("invoice.lines[1].quantity from crm: 'lots'"));
        assertThat(TestDatabase.query("SELECT id FROM rel_invoice WHERE id = ?", "inv-" + suffix)).isEmpty();
    }
}
