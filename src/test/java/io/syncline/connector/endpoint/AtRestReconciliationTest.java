package io.syncline.connector.endpoint;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.CamelEndpointResource;
import io.syncline.testsupport.CatalogProducts;
import io.syncline.testsupport.S3Server;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Camel-endpoint systems whose records are at rest, read whole by a reconciliation run through the
 * admin API against the store's {@code catalog_product} table: product objects under an S3 prefix
 * (S3Proxy), one JSON object each, where the product only the table has is then written through the
 * apply path; and a CSV snapshot file in a folder. Planted differences are found in each bucket,
 * page by page.
 */
@QuarkusTest
@WithTestResource(CamelEndpointResource.class)
class AtRestReconciliationTest {

    /** The server of {@link CamelEndpointResource}. */
    S3Server s3;

    @BeforeEach
    void plant() {
        CatalogProducts.plantTable();
    }

    private List<String> objects(S3Client client) {
        return client.listObjectsV2Paginator(list -> list.bucket(CamelEndpointResource.BUCKET_OUT).prefix("products/")).contents()
                .stream().map(S3Object::key).toList();
    }

    @Test
    void productObjectsUnderAnS3PrefixAreReconciledAndTheMissingOneWrittenThere() {
        try (S3Client client = s3.client()) {
            objects(client).forEach(key -> client.deleteObject(delete -> delete.bucket(CamelEndpointResource.BUCKET_OUT).key(key)));
            CatalogProducts.OTHER_SIDE.forEach((sku, values) -> client.putObject(put -> put.bucket(CamelEndpointResource.BUCKET_OUT)
                    .key("products/" + sku + ".json"), RequestBody.fromString(
                            "{\"sku\":\"" + sku + "\",\"name\":\"" + values.get(0)
                                    + "\",\"stock\":" + values.get(1) + ",\"updatedAt\":\"" + CatalogProducts.OLD + "\"}")));

            int first = CatalogProducts.run("products-s3", 1, 1, 1, 3);
            assertThat(CatalogProducts.differences(first)).containsExactlyInAnyOrder(
                    "p-only-store only_in_a fixed null",
                    CatalogProducts.ONLY_OTHER, CatalogProducts.MISMATCH);

            // the fix went through the inbox and the apply route: one object more, the product's own
            CatalogProducts.awaitFixed(first, "products-s3");
            assertThat(client.getObjectAsBytes(get -> get.bucket(CamelEndpointResource.BUCKET_OUT).key("products/p-only-store.json"))
                    .asUtf8String()).contains("\"name\":\"Gizmo\"").contains("\"stock\":3");

            int second = CatalogProducts.run("products-s3", 0, 1, 1, 4);
            assertThat(CatalogProducts.differences(second)).containsExactlyInAnyOrder(
                    CatalogProducts.ONLY_OTHER, CatalogProducts.MISMATCH);
            assertThat(objects(client)).hasSize(6);
        }
    }

    @Test
    void aCsvSnapshotFileIsReconciledWhole() throws IOException {
        Map<String, List<Object>> rows = new TreeMap<>(CatalogProducts.OTHER_SIDE);
        StringBuilder csv = new StringBuilder("sku,name,stock,updated_at\n");
        rows.forEach((sku, values) -> csv.append(sku).append(',').append(values.get(0)).append(',').append(values.get(1))
                .append(',').append(CatalogProducts.OLD).append('\n'));
        Files.createDirectories(CamelEndpointResource.FOLDER_SNAPSHOT);
        Files.writeString(CamelEndpointResource.FOLDER_SNAPSHOT.resolve("products.csv"), csv);

        int run = CatalogProducts.run("products-file", 1, 1, 1, 3);
        assertThat(CatalogProducts.differences(run)).containsExactlyInAnyOrder(
                "p-only-store only_in_a report null",
                CatalogProducts.ONLY_OTHER, CatalogProducts.MISMATCH);
        // read, not consumed: the snapshot stays where it was dropped
        assertThat(CamelEndpointResource.FOLDER_SNAPSHOT.resolve("products.csv")).exists();
    }
}
