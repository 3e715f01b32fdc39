package io.syncline.idempotency;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The dedupe window: keys are kept 30 days (syncline.idempotency.retention), then purged. */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class ProcessedKeyRepositoryTest {

    @Inject
    ProcessedKeyRepository keys;

    @Test
    void keysOlderThanTheWindowArePurgedAndYoungerOnesKept() throws SQLException {
        String prefix = "purge-" + UUID.randomUUID();
        insert(prefix + "-31-days", "31 days");
        insert(prefix + "-29-days", "29 days");

        assertThat(keys.purgeExpired()).isGreaterThanOrEqualTo(1);

        assertThat(TestDatabase.query("SELECT event_key FROM processed_key WHERE event_key LIKE ?", prefix + "%"))
                .extracting(row -> row.get("event_key")).isEqualTo(List.of(prefix + "-29-days"));
    }

    @Test
    void aKeyIsClaimedOnce() throws SQLException {
        String key = "claim-" + UUID.randomUUID();
        try (Connection connection = TestDatabase.connect()) {
            assertThat(keys.claim(connection, "billing", "crm", key, null)).isTrue();
            assertThat(keys.claim(connection, "billing", "crm", key, null)).isFalse();
            assertThat(keys.claim(connection, "erp", "crm", key, null)).as("another target has its own key").isTrue();
        }
    }

    private static void insert(String key, String age) throws SQLException {
        try (Connection connection = TestDatabase.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO processed_key (consumer, source_system, event_key, processed_at)"
                        + " VALUES ('billing', 'crm', ?, CURRENT_TIMESTAMP - CAST(? AS INTERVAL))")) {
            insert.setString(1, key);
            insert.setString(2, age);
            insert.executeUpdate();
        }
    }
}
