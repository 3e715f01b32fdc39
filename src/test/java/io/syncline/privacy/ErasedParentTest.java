package io.syncline.privacy;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.syncline.sync.RelatedRecordsTest;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * An erasure of a company and the contacts that name it (src/test/resources/related-routes, the
 * setup of {@link RelatedRecordsTest}: CRM webhooks into an ERP whose {@code rel_contact} has
 * foreign keys to {@code rel_company}). A contact whose {@code company} it was is detached: its
 * ERP row's {@code company_code} is written empty through the contact's apply route, audited,
 * its other values kept. A contact whose {@code account} it was ({@code onParentErased: erase}) is
 * erased in the same request: its ERP row anonymised as any erased record's. The request counts
 * both per entity.
 */
@QuarkusTest
@WithTestResource(RelatedRecordsTest.Tables.class)
class ErasedParentTest {

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    private static void posted(String path, Map<String, Object> body) {
        Integer inboxId = given().contentType(ContentType.JSON).body(body).when().post(path)
                .then().statusCode(202).extract().path("inboxId");
        TestDatabase.awaitRows("SELECT 1 FROM inbox WHERE id = ? AND status = 'done'", inboxId.longValue());
    }

    private static String company() {
        String id = "co-" + UUID.randomUUID().toString().substring(0, 8);
        posted("/webhooks/related/companies", Map.of("id", id, "name", "Engines " + id));
        return id;
    }

    private static String contact(String field, String companyId) {
        String id = "ct-" + UUID.randomUUID().toString().substring(0, 8);
        posted("/webhooks/related/contacts", Map.of("id", id, "email", id + "@example.com", field, companyId));
        return id;
    }

    private static Map<String, Object> erpContact(String id) {
        List<Map<String, Object>> rows = TestDatabase.query("SELECT email, company_code, account_code FROM rel_contact WHERE id = ?", id);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    /** A company, a contact naming it in {@code field} (ERP column {@code column}), both synced, and the company's erasure planned. */
    private record Planned(String companyId, String contactId, long requestId) {
    }

    private static Planned planned(String field, String column) {
        String companyId = company();
        String contactId = contact(field, companyId);
        assertThat(erpContact(contactId)).containsEntry(column, companyId.toUpperCase());
        return new Planned(companyId, contactId, erasureOf(companyId));
    }

    private static long erasureOf(String companyId) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("kind", "erasure", "entity", "company", "system", "crm", "id", companyId));
        Integer id = admin().contentType(ContentType.JSON).body(body).when().post("/admin/privacy-requests")
                .then().statusCode(201).body("status", equalTo("planned")).extract().path("id");
        return id.longValue();
    }

    private static Map<String, Object> show(long id) {
        return admin().when().get("/admin/privacy-requests/" + id).then().statusCode(200).extract().jsonPath().getMap("");
    }

    private static void confirmAndAwaitCompletion(long id) {
        admin().when().post("/admin/privacy-requests/" + id + "/confirm").then().statusCode(200).body("status", equalTo("erasing"));
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(show(id).get("status")));
    }

    @Test
    void aContactWhoseCompanyIsErasedIsDetachedInTheErpThroughItsApplyRoute() {
        Planned planned = planned("companyId", "company_code");
        String companyId = planned.companyId();
        String contactId = planned.contactId();
        long id = planned.requestId();
        // the plan erases the company alone: the contact stays
        assertThat(show(id).get("parts")).asList().isNotEmpty()
                .allSatisfy(part -> assertThat(((Map<?, ?>) part).get("entity")).isEqualTo("company"));
        confirmAndAwaitCompletion(id);

        TestDatabase.awaitRows("SELECT 1 FROM rel_contact WHERE id = ? AND company_code IS NULL", contactId);
        assertThat(erpContact(contactId)).containsEntry("email", contactId + "@example.com");
        assertThat(TestDatabase.query("SELECT name FROM rel_company WHERE code = ?", companyId.toUpperCase()))
                .singleElement().satisfies(row -> assertThat(row.get("name")).isNull());
        assertThat(show(id).get("children")).isEqualTo(Map.of("contact", Map.of("detached", 1)));
        // written like any change: its ERP write is audited with the field it changed
        List<Map<String, Object>> writes = TestDatabase.query("SELECT action, CAST(diff AS TEXT) AS diff FROM audit_log"
                + " WHERE entity = 'contact' AND source_id = ? AND target_system = 'erp' ORDER BY id", contactId);
        assertThat(writes).hasSize(2);
        assertThat(writes.get(0)).containsEntry("action", "created");
        assertThat(writes.get(1)).containsEntry("action", "updated");
        assertThat((String) writes.get(1).get("diff")).contains("company").doesNotContain("email");
    }

    @Test
    void aContactWhoseAccountIsErasedIsErasedInTheSameRequest() {
        Planned planned = planned("accountId", "account_code");
        String contactId = planned.contactId();
        long id = planned.requestId();
        Map<String, Object> plan = show(id);
        assertThat(plan.get("children")).isEqualTo(Map.of("contact", Map.of("erased", 1)));
        assertThat(plan.get("parts")).asList().extracting(part -> ((Map<?, ?>) part).get("entity") + "/" + ((Map<?, ?>) part).get("system")
                + "/" + ((Map<?, ?>) part).get("mode")).containsExactlyInAnyOrder("company/crm/manual", "company/erp/anonymise",
                        "contact/crm/manual", "contact/erp/anonymise");
        confirmAndAwaitCompletion(id);

        assertThat(erpContact(contactId)).containsEntry("email", null).containsEntry("account_code", null);
        assertThat(TestDatabase.query("SELECT entity FROM audit_log WHERE action = 'erased' AND run_id = ? ORDER BY entity",
                "privacy-" + id)).extracting(row -> row.get("entity")).containsExactly("company", "contact");
        assertThat(show(id).get("children")).isEqualTo(Map.of("contact", Map.of("erased", 1)));
    }
}
