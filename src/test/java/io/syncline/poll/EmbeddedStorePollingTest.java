package io.syncline.poll;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.syncline.store.Sql;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Change polling on the embedded H2 state store (docs/adr/0001-embedded-state-store.md), as
 * {@code ./mvnw quarkus:dev} runs it: the ERP table of src/test/resources/polling-routes, in the
 * store itself, polled every second into billing's table; its changes reach billing, and the
 * poll's watermark is written when first reached and moved on by later changes.
 */
@QuarkusTest
@TestProfile(EmbeddedStorePollingTest.EmbeddedStore.class)
class EmbeddedStorePollingTest {

    public static class EmbeddedStore implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("syncline.routes.location", "src/test/resources/polling-routes",
                    "quarkus.datasource.jdbc.url", "jdbc:h2:mem:embedded-polling;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;"
                            + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        }
    }

    private static final String JOB = ChangePoller.job("customer", "erp");

    @Inject
    AgroalDataSource store;

    @Test
    void changesReachTheTargetAndMoveTheWatermark() throws Exception {
        try (Connection connection = store.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE poll_erp_customer (id VARCHAR(64) PRIMARY KEY, email VARCHAR(320), name VARCHAR(200),"
                    + " updated_at TIMESTAMP WITH TIME ZONE, is_deleted BOOLEAN NOT NULL DEFAULT FALSE)");
            statement.execute("CREATE TABLE poll_billing_customer (customer_no VARCHAR(64) PRIMARY KEY, email VARCHAR(320),"
                    + " name VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE, deleted_at TIMESTAMP WITH TIME ZONE)");
        }
        write(0, 150, "first", Instant.parse("2024-03-01T00:00:00Z"));
        await().atMost(Duration.ofSeconds(60)).until(() -> billingRows("first") == 150);
        // pages of 100: the watermark was inserted, then moved
        await().atMost(Duration.ofSeconds(10)).until(() -> watermarkKey().equals("cust-0149"));

        write(0, 10, "second", Instant.parse("2024-04-01T00:00:00Z"));
        await().atMost(Duration.ofSeconds(60)).until(() -> billingRows("second") == 10);
        await().atMost(Duration.ofSeconds(10)).until(() -> watermarkKey().equals("cust-0009"));
        assertThat(Sql.count(store, "SELECT count(*) FROM watermark WHERE job = ?", Sql.params().text(JOB))).isEqualTo(1);
    }

    private void write(int from, int to, String name, Instant at) throws Exception {
        try (Connection connection = store.getConnection(); PreparedStatement merge = connection.prepareStatement(
                "MERGE INTO poll_erp_customer (id, email, name, updated_at) KEY (id) VALUES (?, ?, ?, ?)")) {
            for (int i = from; i < to; i++) {
                String id = String.format("cust-%04d", i);
                merge.setString(1, id);
                merge.setString(2, id + "@example.com");
                merge.setString(3, name);
                merge.setTimestamp(4, Timestamp.from(at.plusSeconds(i)));
                merge.addBatch();
            }
            merge.executeBatch();
        }
    }

    private long billingRows(String name) throws Exception {
        return Sql.count(store, "SELECT count(*) FROM poll_billing_customer WHERE name = ?", Sql.params().text(name));
    }

    private String watermarkKey() throws Exception {
        return Sql.optional(store, "SELECT last_key FROM watermark WHERE job = ?", Sql.params().text(JOB), rows -> rows.getString(1))
                .orElse("");
    }
}
