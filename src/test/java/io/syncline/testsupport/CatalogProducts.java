package io.syncline.testsupport;

import io.restassured.specification.RequestSpecification;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * The products of the store's {@code catalog_product} table ({@link CamelEndpointResource}) that the
 * reconciliations of {@code src/test/resources/endpoint-routes} compare with a MongoDB collection, an
 * S3 prefix and a CSV file: three equal to what each other side is given ({@link #OTHER_SIDE}), one
 * whose stock differs there, one the other side lacks; the other side has one the table lacks.
 */
public final class CatalogProducts {

    /** When every product was last changed: long enough ago that no difference is in flight. */
    public static final Instant OLD = Instant.parse("2026-01-05T10:00:00Z");
    /** What the other side holds: sku to name and stock. */
    public static final Map<String, List<Object>> OTHER_SIDE = Map.of("p-equal-1", List.of("Widget", 5), "p-equal-2",
            List.of("Sprocket", 12), "p-equal-3", List.of("Flange", 0), "p-mismatch", List.of("Gadget", 9), "p-only-other",
            List.of("Doohickey", 4));

    /** Differences every run reports: the other side's own product, and the stock that differs. */
    public static final String ONLY_OTHER = "p-only-other only_in_b report null";
    public static final String MISMATCH = "p-mismatch mismatched report [{\"field\":\"stock\",\"a\":7,\"b\":9}]";

    private CatalogProducts() {
    }

    /** The table's products, planted anew. */
    public static void plantTable() {
        String database = CamelEndpointResource.DATABASE_URL;
        TestDatabase.updateOn(database, "DELETE FROM catalog_product");
        Map.of("p-equal-1", List.of("Widget", 5), "p-equal-2", List.of("Sprocket", 12), "p-equal-3", List.of("Flange", 0),
                "p-mismatch", List.of("Gadget", 7), "p-only-store", List.of("Gizmo", 3))
                .forEach((sku, values) -> TestDatabase.updateOn(database, "INSERT INTO catalog_product (sku, name, stock, updated_at) VALUES (?, ?, ?, ?)",
                        sku, values.get(0), values.get(1), Timestamp.from(OLD)));
    }

    /** Runs {@code job} through the admin API and checks that both sides were read to their end and what it counted. */
    public static int run(String job, int onlyInA, int onlyInB, int mismatched, int equal) {
        return admin().when().post("/admin/reconciliations/" + job + "/runs")
                .then().statusCode(200)
                .body("status", equalTo("ok"))
                .body("sideA.reachedEnd", equalTo(true))
                .body("sideB.reachedEnd", equalTo(true))
                .body("sideB.pages", equalTo(3))
                .body("counts.onlyInA", equalTo(onlyInA))
                .body("counts.onlyInB", equalTo(onlyInB))
                .body("counts.mismatched", equalTo(mismatched))
                .body("counts.equal", equalTo(equal))
                .extract().path("id");
    }

    /** The run's differences, each as {@code "<key> <bucket> <action> <fields>"}. */
    public static List<String> differences(int run) {
        List<Map<String, Object>> found = admin().when().get("/admin/reconciliations/differences?run=" + run)
                .then().statusCode(200).extract().path("");
        List<String> listed = new ArrayList<>();
        found.forEach(d -> listed.add(d.get("key") + " " + d.get("bucket") + " " + d.get("action") + " " + d.get("fields")));
        return listed;
    }

    /**
     * Waits for the auto-fix of the product only the table has, made by {@code run} of {@code job}, to be
     * applied through the inbox and the apply route; its inbox event's id.
     */
    public static Object awaitFixed(int run, String job) {
        String database = CamelEndpointResource.DATABASE_URL;
        Object inboxId = TestDatabase.queryOn(database, "SELECT inbox_id FROM reconciliation_difference WHERE run_id = ?"
                + " AND record_key = 'p-only-store'", run).get(0).get("inbox_id");
        TestDatabase.awaitRowsOn(database, "SELECT 1 FROM inbox WHERE id = ? AND status = 'done' AND route_id = ?", inboxId,
                "reconcile:" + job);
        return inboxId;
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }
}
