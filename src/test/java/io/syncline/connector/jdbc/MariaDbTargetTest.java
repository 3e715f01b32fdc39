package io.syncline.connector.jdbc;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.ErpOnMariaDbProfile;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JDBC target on a real MariaDB, declared by YAML alone (src/test/resources/mariadb-routes:
 * system {@code erp} by url, credentials from the environment): CRM contacts posted to the
 * webhook go through the durable inbox and land in {@code erp_contact}, created then updated,
 * normalised, with timestamps stored as UTC in DATETIME and TIMESTAMP columns; a row the ERP
 * already had is found by e-mail and updated under its own key.
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
}
