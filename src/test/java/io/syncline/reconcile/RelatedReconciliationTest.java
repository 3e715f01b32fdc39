package io.syncline.reconcile;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.syncline.sync.RelatedRecordsTest;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reconciliation of references (src/test/resources/related-routes, job {@code persons-crm-erp}):
 * persons in the CRM's database name their account by the CRM's id, in the ERP by the ERP's code;
 * the ID map links the two. The same account under two ids compares equal; a person moved to
 * another account in the ERP is a difference of {@code company} naming both accounts; a person
 * naming an account the ID map does not know is a dangling reference, noted as one. A person only
 * in the CRM is fixed into the ERP with the ERP's code of its account, unless that account is not
 * linked in the ERP (or dangles): then it is reported, not fixed.
 */
@QuarkusTest
@WithTestResource(RelatedRecordsTest.Tables.class)
class RelatedReconciliationTest {

    private static final String JOB = "persons-crm-erp";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    private String id(String name) {
        return name + "-" + suffix;
    }

    private void account(String canonical, String crmId, String erpCode, String name) {
        if (crmId != null) {
            TestDatabase.update("INSERT INTO rel_crm_account (id, name) VALUES (?, ?)", crmId, name);
            TestDatabase.update("INSERT INTO id_map (entity, canonical_id, system, system_id) VALUES ('account', ?, 'crm_db', ?)",
                    canonical, crmId);
        }
        if (erpCode != null) {
            TestDatabase.update("INSERT INTO rel_erp_account (code, name) VALUES (?, ?)", erpCode, name);
            TestDatabase.update("INSERT INTO id_map (entity, canonical_id, system, system_id) VALUES ('account', ?, 'erp', ?)",
                    canonical, erpCode);
        }
    }

    private void person(String table, String column, String id, String account) {
        TestDatabase.update("INSERT INTO " + table + " (id, email, " + column + ") VALUES (?, ?, ?)", id, id + "@example.com", account);
    }

    private void crmPerson(String id, String account) {
        person("rel_crm_person", "account_id", id, account);
    }

    private void erpPerson(String id, String code) {
        person("rel_erp_person", "account_code", id, code);
    }

    private static List<Map<String, Object>> fields(Map<String, Object> difference) throws Exception {
        return MAPPER.readValue((String) difference.get("fields"), new TypeReference<>() {
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> company(Map<String, Object> difference) throws Exception {
        return fields(difference).stream().filter(field -> field.get("field").equals("company")).findFirst()
                .orElseThrow(() -> new AssertionError("no company difference in " + difference));
    }

    private static JsonPath run(String query) {
        return run(JOB, query);
    }

    private static JsonPath run(String job, String query) {
        return given().auth().preemptive().basic("admin", "test-only-password").when().post("/admin/reconciliations/" + job
                + "/runs" + query).then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Map<String, Object>> differences(long runId) {
        return TestDatabase.query("SELECT record_key, bucket, action, fields, inbox_id FROM reconciliation_difference"
                + " WHERE run_id = ?", runId).stream().collect(Collectors.toMap(row -> (String) row.get("record_key"), row -> row));
    }

    @Test
    @SuppressWarnings("unchecked")
    void referencesAreComparedByCanonicalIdDanglingOnesAreFindingsAndFixesWriteTheErpsCode() throws Exception {
        for (String table : List.of("rel_crm_person", "rel_erp_person", "rel_crm_account", "rel_erp_account")) {
            TestDatabase.update("DELETE FROM " + table);
        }
        String acme = id("c-acme");
        String globex = id("c-globex");
        String initech = id("c-initech");
        account(acme, id("acc-1"), id("ACME"), "Acme");
        account(globex, id("acc-2"), id("GLOBEX"), "Globex");
        account(initech, id("acc-3"), null, "Initech"); // not in the ERP yet
        String ghost = id("acc-ghost"); // in no ID map: deleted from the CRM, or never synced

        crmPerson(id("p-same"), id("acc-1"));
        erpPerson(id("p-same"), id("ACME"));
        crmPerson(id("p-moved"), id("acc-1"));
        erpPerson(id("p-moved"), id("GLOBEX"));
        crmPerson(id("p-dangling"), ghost);
        erpPerson(id("p-dangling"), id("ACME"));
        crmPerson(id("p-new"), id("acc-2"));
        crmPerson(id("p-orphan"), id("acc-3"));
        crmPerson(id("p-lost"), ghost);

        // a dry run plans the fixes the run will make, no more
        Map<String, Map<String, Object>> planned = differences(run("?dryRun=true").getLong("id"));
        assertThat(planned.get(id("p-new"))).containsEntry("action", "would_fix");
        assertThat(planned.get(id("p-orphan"))).containsEntry("action", "report");
        assertThat(planned.get(id("p-lost"))).containsEntry("action", "report");
        assertThat(TestDatabase.query("SELECT id FROM rel_erp_person WHERE id = ?", id("p-new"))).isEmpty();

        JsonPath run = run("");
        Map<String, Map<String, Object>> found = differences(run.getLong("id"));
        // the same account under the CRM's id and the ERP's code: equal, no difference
        assertThat(found).containsOnlyKeys(id("p-moved"), id("p-dangling"), id("p-new"), id("p-orphan"), id("p-lost"));
        assertThat(run.getLong("counts.mismatched")).isEqualTo(2);
        assertThat(run.getLong("counts.equal")).isEqualTo(1);

        // moved to another account in the ERP: both accounts named, by canonical id and by each side's own id
        Map<String, Object> moved = company(found.get(id("p-moved")));
        assertThat(found.get(id("p-moved"))).containsEntry("bucket", "mismatched").containsEntry("action", "report");
        assertThat(moved).containsEntry("a", acme).containsEntry("b", globex);
        Map<String, Object> movedReference = (Map<String, Object>) moved.get("reference");
        assertThat(movedReference).containsEntry("entity", "account").containsEntry("idA", id("acc-1")).containsEntry("idB",
                id("GLOBEX"));
        assertThat((String) movedReference.get("note")).isEqualTo("crm_db names account " + acme + " (its id " + id("acc-1")
                + "), erp names account " + globex + " (its id " + id("GLOBEX") + ")");

        // a dangling reference is its own finding, never equal to anything
        Map<String, Object> dangling = company(found.get(id("p-dangling")));
        assertThat(found.get(id("p-dangling"))).containsEntry("bucket", "mismatched");
        assertThat(dangling).containsEntry("a", Map.of("dangling", ghost, "of", "crm_db")).containsEntry("b", acme);
        assertThat((Map<String, Object>) dangling.get("reference")).containsEntry("idA", ghost).containsEntry("idB", id("ACME"))
                .containsEntry("note", "dangling reference: account " + ghost + " of crm_db is not linked in the ID map");

        // only in the CRM: fixed with the ERP's code of its account
        assertThat(found.get(id("p-new"))).containsEntry("bucket", "only_in_a").containsEntry("action", "fixed");
        assertThat(TestDatabase.awaitRows("SELECT account_code FROM rel_erp_person WHERE id = ?", id("p-new")))
                .containsExactly(Map.of("account_code", id("GLOBEX")));

        // its account not in the ERP, or dangling in the CRM: reported, not fixed, and why
        assertThat(found.get(id("p-orphan"))).containsEntry("bucket", "only_in_a").containsEntry("action", "report");
        assertThat(found.get(id("p-orphan")).get("inbox_id")).isNull();
        assertThat((String) ((Map<String, Object>) company(found.get(id("p-orphan"))).get("reference")).get("note"))
                .isEqualTo("not fixed: account " + initech + " (crm_db's " + id("acc-3") + ") is not linked in erp");
        assertThat(found.get(id("p-lost"))).containsEntry("bucket", "only_in_a").containsEntry("action", "report");
        assertThat(fields(found.get(id("p-lost")))).extracting(field -> ((Map<String, Object>) field.get("reference")).get("note"))
                .containsExactlyInAnyOrder("dangling reference: account " + ghost + " of crm_db is not linked in the ID map",
                        "not fixed: its account is a dangling reference in crm_db");
        assertThat(TestDatabase.query("SELECT id FROM rel_erp_person WHERE id IN (?, ?)", id("p-orphan"), id("p-lost"))).isEmpty();
        assertThat(TestDatabase.query("SELECT id FROM inbox WHERE route_id = ? AND record_key IN (?, ?)", "reconcile:" + JOB,
                id("p-orphan"), id("p-lost"))).isEmpty();
        assertThat(run.getString("status")).isEqualTo("fixes_short");
        assertThat(run.getList("reasons", String.class)).anySatisfy(reason -> assertThat(reason)
                .startsWith("2 of 3 planned fixes not made: a parent the record names is not linked in erp"));
    }

    /** An invoice's lines as JSON: (line number, product id, quantity) triples, {@code productColumn} naming the id's column. */
    private static String lines(String productColumn, Object... lines) throws Exception {
        List<Map<String, Object>> each = new java.util.ArrayList<>();
        for (int i = 0; i < lines.length; i += 3) {
            each.add(Map.of("line_no", lines[i], productColumn, lines[i + 1], "qty", lines[i + 2]));
        }
        return MAPPER.writeValueAsString(each);
    }

    private void invoice(String table, String id, String lines) {
        TestDatabase.update("INSERT INTO " + table + " (id, lines) VALUES (?, CAST(? AS jsonb))", id, lines);
    }

    private void product(String canonical, String crmId, String erpCode) {
        TestDatabase.update("INSERT INTO id_map (entity, canonical_id, system, system_id) VALUES ('product', ?, 'crm_db', ?),"
                + " ('product', ?, 'erp', ?)", canonical, crmId, canonical, erpCode);
    }

    @Test
    @SuppressWarnings("unchecked")
    void linesReferencesAreComparedByCanonicalIdAndTheirDifferencesNameTheLine() throws Exception {
        TestDatabase.update("DELETE FROM rel_crm_invoice");
        TestDatabase.update("DELETE FROM rel_invoice");
        String chair = id("p-chair");
        String desk = id("p-desk");
        product(chair, id("17"), id("CHAIR"));
        product(desk, id("18"), id("DESK"));
        String ghost = id("99"); // in no ID map

        // in sync: the same products under the CRM's ids and the ERP's codes, lines in another order
        invoice("rel_crm_invoice", id("i-same"), lines("product_id", 1, id("17"), 2, 2, id("18"), 1));
        invoice("rel_invoice", id("i-same"), lines("product_code", 2, id("DESK"), 1, 1, id("CHAIR"), 2));
        // line 2 names another product in the ERP
        invoice("rel_crm_invoice", id("i-moved"), lines("product_id", 1, id("17"), 2, 2, id("18"), 1));
        invoice("rel_invoice", id("i-moved"), lines("product_code", 1, id("CHAIR"), 2, 2, id("CHAIR"), 1));
        // line 1 names a product no ID map knows
        invoice("rel_crm_invoice", id("i-dangling"), lines("product_id", 1, ghost, 2));
        invoice("rel_invoice", id("i-dangling"), lines("product_code", 1, id("CHAIR"), 2));

        JsonPath run = run("invoices-crm-erp", "");
        Map<String, Map<String, Object>> found = differences(run.getLong("id"));
        assertThat(found).containsOnlyKeys(id("i-moved"), id("i-dangling"));
        assertThat(run.getLong("counts.equal")).isEqualTo(1);

        Map<String, Object> moved = fields(found.get(id("i-moved"))).stream().filter(field -> field.get("field").equals("lines"))
                .findFirst().orElseThrow();
        Map<String, Object> movedReference = (Map<String, Object>) moved.get("reference");
        assertThat(movedReference).containsEntry("entity", "product")
                .containsEntry("idA", Map.of("lines[1].product", id("18"))).containsEntry("idB", Map.of("lines[1].product", id("CHAIR")));
        assertThat((String) movedReference.get("note")).isEqualTo("lines[1].product: crm_db names product " + desk + " (its id "
                + id("18") + "), erp names product " + chair + " (its id " + id("CHAIR") + ")");

        Map<String, Object> dangling = fields(found.get(id("i-dangling"))).stream().filter(field -> field.get("field").equals("lines"))
                .findFirst().orElseThrow();
        assertThat((String) ((Map<String, Object>) dangling.get("reference")).get("note"))
                .isEqualTo("lines[0].product: dangling reference: product " + ghost + " of crm_db is not linked in the ID map");
    }
}
