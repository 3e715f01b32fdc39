package io.syncline.backfill;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.BackfillTables;
import io.syncline.testsupport.MariaDbTargetResource;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * A backfill of related records (src/test/resources/backfill-routes/related.syncline.yaml):
 * companies, contacts (each naming its company) and deals (naming a contact and a company) from
 * the ERP's tables into billing's, whose tables have foreign keys. The backfill lists them
 * children first; it copies them parents first. The dry run counts, per entity, what it would
 * create and the references it could not resolve: a planted contact naming a company the ERP does
 * not have, and a planted deal naming that contact (which the run would hold, not create). The run
 * then writes every record once, each reference as billing's own id of the right parent, and
 * counts per entity what the dry run counted.
 */
@QuarkusTest
@TestProfile(BackfillTest.BackfillRoutes.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(MariaDbTargetResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackfillRelatedTest {

    private static final int COMPANIES = 30;
    private static final int CONTACTS = 90;
    private static final int DEALS = 60;
    /** This run's ids' prefix: the test database keeps the ID map of earlier runs. */
    private static final String P = "r" + Long.toString(System.currentTimeMillis(), 36) + "-";

    @BeforeAll
    static void tables() {
        BackfillTables.createRelated(P, COMPANIES, CONTACTS, DEALS);
        // planted: a contact naming a company the ERP does not have, and a deal naming that contact
        TestDatabase.update("INSERT INTO bf_erp_contact VALUES (? || 'ct-lost', 'lost@example.com', ? || 'co-none')", P, P);
        TestDatabase.update("INSERT INTO bf_erp_deal VALUES (? || 'dl-lost', 'Lost deal', ? || 'ct-lost', ? || 'co-0001')", P, P, P);
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    private static JsonPath awaitCompleted(long job) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(
                () -> admin().get("/admin/backfills/jobs/" + job).then().extract().jsonPath().getString("job.status"),
                now -> "completed".equals(now) || "failed".equals(now));
        return admin().get("/admin/backfills/jobs/" + job).then().statusCode(200).body("job.status", equalTo("completed"))
                .extract().jsonPath();
    }

    private static long count(String sql, Object... parameters) {
        return ((Number) TestDatabase.query(sql, parameters).get(0).get("n")).longValue();
    }

    private static long dryRun;
    private static Map<String, Object> dryRunCounts;

    @Test
    @Order(1)
    void theDryRunCountsPerEntityTheReferencesItCannotResolve() {
        admin().get("/admin/backfills").then().statusCode(200);
        dryRun = admin().post("/admin/backfills/sales-into-billing/dry-runs").then().statusCode(202)
                .body("entities", equalTo(List.of("company", "contact", "deal"))).extract().jsonPath().getLong("id");
        JsonPath done = awaitCompleted(dryRun);
        assertThat(done.getLong("job.recordsRead")).isEqualTo(COMPANIES + CONTACTS + 1 + DEALS + 1);
        dryRunCounts = done.getMap("job.entityCounts");
        // a parent the dry run would create first counts as resolvable; the planted ones do not
        assertThat(done.getMap("job.entityCounts.company.outcomes.billing")).isEqualTo(Map.of("create", COMPANIES));
        assertThat(done.getMap("job.entityCounts.contact.outcomes.billing"))
                .isEqualTo(Map.of("create", CONTACTS, "hold", 1, "unresolved", 1));
        assertThat(done.getMap("job.entityCounts.deal.outcomes.billing"))
                .isEqualTo(Map.of("create", DEALS, "hold", 1, "unresolved", 1));
        assertThat(done.getInt("job.entityCounts.contact.read")).isEqualTo(CONTACTS + 1);
        assertThat(done.getMap("job.outcomes.billing")).isEqualTo(Map.of("create", COMPANIES + CONTACTS + DEALS, "hold", 2,
                "unresolved", 2));

        List<Map<String, Object>> held = admin().get("/admin/backfills/jobs/" + dryRun + "/report?outcome=hold&limit=10")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(held).extracting(line -> line.get("entity"), line -> line.get("sourceKey"), line -> line.get("unresolved"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("contact", P + "ct-lost", 1),
                        org.assertj.core.groups.Tuple.tuple("deal", P + "dl-lost", 1));
        assertThat((String) held.get(0).get("reason")).contains(P + "co-none");

        // nothing written
        assertThat(count("SELECT (SELECT count(*) FROM bf_billing_company) + (SELECT count(*) FROM bf_billing_contact)"
                + " + (SELECT count(*) FROM bf_billing_deal) AS n")).isZero();
    }

    @Test
    @Order(2)
    void theRunWritesParentsFirstWithBillingsOwnIdsAndCountsAsTheDryRunDid() {
        long run = admin().post("/admin/backfills/sales-into-billing/runs?dryRun=" + dryRun).then().statusCode(202)
                .extract().jsonPath().getLong("id");
        JsonPath done = awaitCompleted(run);

        assertThat(count("SELECT count(*) AS n FROM bf_billing_company")).isEqualTo(COMPANIES);
        assertThat(count("SELECT count(*) AS n FROM bf_billing_contact")).isEqualTo(CONTACTS);
        assertThat(count("SELECT count(*) AS n FROM bf_billing_deal")).isEqualTo(DEALS);
        // every reference is billing's own id of the parent the ERP's record names
        assertThat(count("SELECT count(*) AS n FROM bf_erp_contact e JOIN bf_billing_contact b ON b.code = upper(e.id)"
                + " WHERE b.company_code = upper(e.company_id)")).isEqualTo(CONTACTS);
        assertThat(count("SELECT count(*) AS n FROM bf_erp_deal e JOIN bf_billing_deal b ON b.code = upper(e.id)"
                + " WHERE b.contact_code = upper(e.contact_id) AND b.company_code = upper(e.company_id)")).isEqualTo(DEALS);
        // each record once
        assertThat(count("SELECT count(*) - count(DISTINCT (entity, source_id)) AS n FROM audit_log WHERE run_id = ?",
                "backfill:" + run)).isZero();

        // per entity, the run's outcomes are the dry run's: created as create, held as hold (and its unresolved)
        long held = 0;
        for (String entity : List.of("company", "contact", "deal")) {
            Map<String, Integer> planned = done.getMap("job.entityCounts." + entity + ".outcomes.billing");
            Map<String, Integer> dry = dryRunOutcomes(entity);
            assertThat(planned.get("created")).isEqualTo(dry.get("create"));
            assertThat(planned.get("held")).isEqualTo(dry.get("hold")).isEqualTo(dry.get("unresolved"));
            assertThat(planned.keySet()).allMatch(action -> List.of("created", "held").contains(action));
            held += planned.getOrDefault("held", 0);
        }
        // the pages applied what they could decide; only the held records went through the inbox
        assertThat(held).isPositive();
        assertThat(done.getLong("job.eventsStored")).isEqualTo(done.getLong("job.recordsRead"));
        assertThat(done.getLong("job.eventsApplied")).isEqualTo(done.getLong("job.eventsStored") - held);
        assertThat(count("SELECT count(*) AS n FROM inbox WHERE route_id = ?", "backfill:" + run)).isEqualTo(held);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Integer> dryRunOutcomes(String entity) {
        Map<String, Object> counts = (Map<String, Object>) dryRunCounts.get(entity);
        return ((Map<String, Map<String, Integer>>) counts.get("outcomes")).get("billing");
    }
}
