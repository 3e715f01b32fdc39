package io.syncline.sync;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * References on the real-time path (src/test/resources/related-routes): CRM companies and contacts
 * into an ERP database whose {@code rel_contact.company_code} is a FOREIGN KEY to
 * {@code rel_company.code}, the ERP's own id of a company (the CRM's id in upper case). A contact
 * posted before its company waits, pending, never a dead letter, and lands with the ERP's code
 * once the company is linked; one whose company never comes is held for review after its wait;
 * a reference with {@code missingParent: empty} is written empty after its wait.
 */
@QuarkusTest
@TestProfile(RelatedRecordsTest.Related.class)
@WithTestResource(RelatedRecordsTest.Tables.class)
public class RelatedRecordsTest {

    public static class Related implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("syncline.routes.location", "src/test/resources/related-routes");
        }
    }

    /**
     * The test database, with the ERP's two tables and the foreign key between them; and the CRM
     * database's and the ERP's accounts and persons of RelatedReconciliationTest.
     */
    public static class Tables extends PostgresDatabaseResource {

        @Override
        public Map<String, String> start() {
            Map<String, String> settings = new HashMap<>(super.start());
            try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS public.rel_company (code VARCHAR(64) PRIMARY KEY, name VARCHAR(200))");
                statement.execute("CREATE TABLE IF NOT EXISTS public.rel_contact (id VARCHAR(64) PRIMARY KEY, email VARCHAR(320),"
                        + " company_code VARCHAR(64) REFERENCES public.rel_company (code),"
                        + " referrer_code VARCHAR(64) REFERENCES public.rel_company (code))");
                statement.execute("CREATE TABLE IF NOT EXISTS public.rel_crm_account (id VARCHAR(64) PRIMARY KEY, name VARCHAR(200))");
                statement.execute("CREATE TABLE IF NOT EXISTS public.rel_crm_person (id VARCHAR(64) PRIMARY KEY, email VARCHAR(320),"
                        + " account_id VARCHAR(64))");
                statement.execute("CREATE TABLE IF NOT EXISTS public.rel_erp_account (code VARCHAR(64) PRIMARY KEY, name VARCHAR(200))");
                statement.execute("CREATE TABLE IF NOT EXISTS public.rel_erp_person (id VARCHAR(64) PRIMARY KEY, email VARCHAR(320),"
                        + " account_code VARCHAR(64))");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return settings;
        }
    }

    private static final Pattern WAITING = Pattern.compile("(?m)^syncline_inbox_waiting_for_parent(?:\\{[^}]*})? ([0-9.E+-]+)$");

    private static long post(String path, Map<String, Object> body) {
        Integer inboxId = given().contentType(ContentType.JSON).body(body).when().post(path)
                .then().statusCode(202).extract().path("inboxId");
        return inboxId.longValue();
    }

    private static long company(String id, String name) {
        return post("/webhooks/related/companies", Map.of("id", id, "name", name));
    }

    private static long contact(Map<String, Object> contact) {
        return post("/webhooks/related/contacts", contact);
    }

    private static double waitingGauge() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher gauge = WAITING.matcher(metrics);
        return gauge.find() ? Double.parseDouble(gauge.group(1)) : -1;
    }

    private static List<Map<String, Object>> erpContact(String id) {
        return TestDatabase.query("SELECT company_code, referrer_code FROM rel_contact WHERE id = ?", id);
    }

    private static List<Map<String, Object>> deadLetters(long inboxId) {
        return TestDatabase.query("SELECT id FROM dead_letter WHERE inbox_id = ?", inboxId);
    }

    @Test
    void aContactPostedBeforeItsCompanyWaitsThenLandsWithTheErpsCompanyCode() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String companyId = "co-" + suffix;
        String contactId = "ct-" + suffix;

        long contactEvent = contact(Map.of("id", contactId, "email", contactId + "@example.com", "companyId", companyId));

        // pending, its reason naming the missing company, no attempt counted, nothing written
        List<Map<String, Object>> waiting = TestDatabase.awaitRows("SELECT attempts, last_error FROM inbox WHERE id = ?"
                + " AND status = 'pending' AND last_error LIKE 'waiting for parent: %'", contactEvent);
        assertThat((String) waiting.get(0).get("last_error")).contains("contact.company names company " + companyId + " of crm");
        assertThat(((Number) waiting.get(0).get("attempts")).intValue()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> waitingGauge() >= 1);
        assertThat(erpContact(contactId)).isEmpty();

        long companyEvent = company(companyId, " Analytical Engines ");

        assertThat(DemoWebhook.finalStatus(companyEvent)).isEqualTo("done");
        assertThat(DemoWebhook.finalStatus(contactEvent)).isEqualTo("done");
        assertThat(erpContact(contactId)).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("company_code", companyId.toUpperCase()));
        assertThat(deadLetters(contactEvent)).isEmpty();
        // the canonical record holds the company's canonical id, not an id of either system
        String canonicalCompany = (String) TestDatabase.query("SELECT canonical_id FROM id_map WHERE entity = 'company'"
                + " AND system = 'crm' AND system_id = ?", companyId).get(0).get("canonical_id");
        assertThat(TestDatabase.query("SELECT diff FROM audit_log WHERE inbox_id = ? AND action = 'created'", contactEvent))
                .singleElement().satisfies(row -> assertThat(String.valueOf(row.get("diff")))
                        .contains(canonicalCompany).doesNotContain(companyId.toUpperCase()));

        // an update naming the same company is written again through the links, not held
        long update = contact(Map.of("id", contactId, "email", "new-" + contactId + "@example.com", "companyId", companyId));
        assertThat(DemoWebhook.finalStatus(update)).isEqualTo("done");
        assertThat(TestDatabase.query("SELECT email, company_code FROM rel_contact WHERE id = ?", contactId)).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("email", "new-" + contactId + "@example.com")
                        .containsEntry("company_code", companyId.toUpperCase()));
    }

    @Test
    void aContactWhoseCompanyNeverComesIsHeldForReviewNamingTheCompany() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String contactId = "ct-" + suffix;

        long contactEvent = contact(Map.of("id", contactId, "email", contactId + "@example.com", "companyId", "co-never-" + suffix));

        assertThat(DemoWebhook.finalStatus(contactEvent)).isEqualTo("held");
        assertThat(TestDatabase.query("SELECT kind, reason FROM review_item WHERE entity = 'contact' AND source_id = ?", contactId))
                .singleElement().satisfies(item -> {
                    assertThat(item).containsEntry("kind", "held_record");
                    assertThat((String) item.get("reason")).contains("company co-never-" + suffix + " of crm")
                            .contains("not linked in crm");
                });
        assertThat(deadLetters(contactEvent)).isEmpty();
        assertThat(erpContact(contactId)).isEmpty();
    }

    @Test
    void aReferenceThatMayBeEmptyIsWrittenEmptyAfterItsWait() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String companyId = "co-" + suffix;
        String contactId = "ct-" + suffix;
        assertThat(DemoWebhook.finalStatus(company(companyId, "Difference Engines"))).isEqualTo("done");

        long contactEvent = contact(Map.of("id", contactId, "email", contactId + "@example.com", "companyId", companyId,
                "referredBy", "co-unknown-" + suffix));

        assertThat(DemoWebhook.finalStatus(contactEvent)).isEqualTo("done");
        assertThat(erpContact(contactId)).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("company_code", companyId.toUpperCase());
            assertThat(row.get("referrer_code")).isNull();
        });
        assertThat(deadLetters(contactEvent)).isEmpty();
    }
}
