package io.syncline.connector.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.CamelEndpointResource;
import io.syncline.testsupport.TestDatabase;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A reconciliation between a PostgreSQL table (the store's {@code catalog_product}) and a MongoDB
 * collection ({@code type: mongodb}, on mongo-java-server), run through the application's admin API:
 * differences planted in each bucket are found, page by page on both sides; the product only the
 * master has is written into the collection through the inbox and the apply path, and the next run
 * finds the two sides equal but for what a person must decide.
 */
@QuarkusTest
@WithTestResource(CamelEndpointResource.class)
class MongoReconciliationTest {

    static final String DATABASE = CamelEndpointResource.DATABASE_URL;
    static final String JOB = "products-mongo";
    static final Instant OLD = Instant.parse("2026-01-05T10:00:00Z");

    private MongoClient client;
    private MongoCollection<Document> products;

    @BeforeEach
    void plant() {
        client = MongoClients.create(CamelEndpointResource.mongoUri());
        products = client.getDatabase("shop").getCollection("products");
        products.deleteMany(new Document());
        TestDatabase.updateOn(DATABASE, "DELETE FROM catalog_product");
        product("p-equal-1", "Widget", 5);
        product("p-equal-2", "Sprocket", 12);
        product("p-equal-3", "Flange", 0);
        product("p-mismatch", "Gadget", 7);
        product("p-only-store", "Gizmo", 3);
        document("p-equal-1", "Widget", 5);
        document("p-equal-2", "Sprocket", 12);
        document("p-equal-3", "Flange", 0);
        document("p-mismatch", "Gadget", 9);
        document("p-only-mongo", "Doohickey", 4);
    }

    @AfterEach
    void close() {
        client.close();
    }

    private static void product(String sku, String name, int stock) {
        TestDatabase.updateOn(DATABASE, "INSERT INTO catalog_product (sku, name, stock, updated_at) VALUES (?, ?, ?, ?)",
                sku, name, stock, Timestamp.from(OLD));
    }

    private void document(String sku, String name, int stock) {
        products.insertOne(new Document("_id", sku).append("name", name).append("stock", stock).append("updatedAt", Date.from(OLD)));
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    private static int run(int onlyInA, int onlyInB, int mismatched, int equal) {
        return admin().when().post("/admin/reconciliations/" + JOB + "/runs")
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

    private static List<String> differences(int run) {
        List<Map<String, Object>> found = admin().when().get("/admin/reconciliations/differences?run=" + run)
                .then().statusCode(200).extract().path("");
        List<String> listed = new ArrayList<>();
        found.forEach(d -> listed.add(d.get("key") + " " + d.get("bucket") + " " + d.get("action") + " " + d.get("fields")));
        return listed;
    }

    @Test
    void differencesInEachBucketAreFoundAndTheMissingProductWrittenThroughTheApplyPath() {
        int first = run(1, 1, 1, 3);
        assertThat(differences(first)).containsExactlyInAnyOrder(
                "p-only-store only_in_a fixed null",
                "p-only-mongo only_in_b report null",
                "p-mismatch mismatched report [{\"field\":\"stock\",\"a\":7,\"b\":9}]");

        // the fix went through the inbox and the apply route into the collection, audited
        Object inboxId = TestDatabase.queryOn(DATABASE, "SELECT inbox_id FROM reconciliation_difference WHERE run_id = ?"
                + " AND record_key = 'p-only-store'", first).get(0).get("inbox_id");
        TestDatabase.awaitRowsOn(DATABASE, "SELECT 1 FROM inbox WHERE id = ? AND status = 'done' AND route_id = ?", inboxId,
                "reconcile:" + JOB);
        Document written = products.find(new Document("_id", "p-only-store")).first();
        assertThat(written).isNotNull();
        assertThat(written.getString("name")).isEqualTo("Gizmo");
        assertThat(((Number) written.get("stock")).intValue()).isEqualTo(3);
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT target_system FROM audit_log WHERE entity = 'product'"
                + " AND source_id = 'p-only-store' AND action IN ('created', 'updated')"))
                .extracting(row -> row.get("target_system")).containsExactly("catalog-mongo");

        // the next run: what was fixed is equal, what needs a person is still reported
        int second = run(0, 1, 1, 4);
        assertThat(differences(second)).containsExactlyInAnyOrder(
                "p-only-mongo only_in_b report null",
                "p-mismatch mismatched report [{\"field\":\"stock\",\"a\":7,\"b\":9}]");
        assertThat(products.countDocuments()).isEqualTo(6);
    }
}
