package io.syncline.connector.mongodb;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.CamelEndpointResource;
import io.syncline.testsupport.CatalogProducts;
import io.syncline.testsupport.TestDatabase;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;

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

    private MongoClient client;
    private MongoCollection<Document> products;

    @BeforeEach
    void plant() {
        client = MongoClients.create(CamelEndpointResource.mongoUri());
        products = client.getDatabase("shop").getCollection("products");
        products.deleteMany(new Document());
        CatalogProducts.plantTable();
        CatalogProducts.OTHER_SIDE.forEach((sku, values) -> products.insertOne(new Document("_id", sku).append("name", values.get(0))
                .append("stock", values.get(1)).append("updatedAt", Date.from(CatalogProducts.OLD))));
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void differencesInEachBucketAreFoundAndTheMissingProductWrittenThroughTheApplyPath() {
        int first = CatalogProducts.run(JOB, 1, 1, 1, 3);
        assertThat(CatalogProducts.differences(first)).containsExactlyInAnyOrder(
                "p-only-store only_in_a fixed null",
                CatalogProducts.ONLY_OTHER, CatalogProducts.MISMATCH);

        // the fix went through the inbox and the apply route into the collection, audited
        Object inboxId = CatalogProducts.awaitFixed(first, JOB);
        Document written = products.find(new Document("_id", "p-only-store")).first();
        assertThat(written).isNotNull();
        assertThat(written.getString("name")).isEqualTo("Gizmo");
        assertThat(((Number) written.get("stock")).intValue()).isEqualTo(3);
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT action FROM audit_log WHERE entity = 'product'"
                + " AND source_id = 'p-only-store' AND target_system = 'catalog-mongo' AND inbox_id = ?", inboxId))
                .extracting(row -> row.get("action")).containsExactly("created");

        // the next run: what was fixed is equal, what needs a person is still reported
        int second = CatalogProducts.run(JOB, 0, 1, 1, 4);
        assertThat(CatalogProducts.differences(second)).containsExactlyInAnyOrder(
                CatalogProducts.ONLY_OTHER, CatalogProducts.MISMATCH);
        assertThat(products.countDocuments()).isEqualTo(6);
    }
}
