package io.syncline.review;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.TwoWayContacts;
import io.syncline.testsupport.TwoWayContacts.Side;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * The review queue's admin API on held conflicts of the two-way contacts (the CRM and billing
 * both changed {@code cityReview}, whose strategy is review): credentials, list filters, show,
 * resolve through the normal write path (audited with the resolver), two resolutions at once,
 * a resolution whose write fails, discard, and overdue items in metrics and health.
 */
@QuarkusTest
@TestProfile(TwoWayContacts.Profile.class)
@WithTestResource(PostgresDatabaseResource.class)
class ReviewQueueApiTest {

    @BeforeAll
    static void tables() throws SQLException {
        TwoWayContacts.createTables();
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    /** A contact whose cityReview the CRM set to A and billing to B: the CRM's change is held. Returns the item's id. */
    private static long heldConflict(String id) throws SQLException {
        TwoWayContacts.create(id);
        TwoWayContacts.edit(Side.BILLING, id, Map.of("city_review", "B", "updated_at", TwoWayContacts.T0.plusSeconds(60)));
        TwoWayContacts.edit(Side.CRM, id, Map.of("city_review", "A", "updated_at", TwoWayContacts.T0.plusSeconds(120)));
        assertThat(TwoWayContacts.deliverAndWait(Side.CRM, TwoWayContacts.row(Side.CRM, id))).isEqualTo("held");
        return ((Number) TestDatabase.query("SELECT id FROM review_item WHERE source_system = 'crm' AND source_id = ?", id)
                .get(0).get("id")).longValue();
    }

    private static String resolvePath(long item) {
        return "/admin/review-items/" + item + "/resolve";
    }

    private static List<Map<String, Object>> resolutionAudit(long item) {
        return TestDatabase.query("SELECT action, actor, detail FROM audit_log WHERE run_id = ? ORDER BY id", "review-" + item);
    }

    @Test
    void withoutCredentialsTheApiAnswers401() {
        given().when().get("/admin/review-items").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{}").when().post("/admin/review-items/1/resolve").then().statusCode(401);
        given().auth().preemptive().basic("admin", "guess").when().get("/admin/review-items/1").then().statusCode(401);
    }

    @Test
    void heldConflictIsListedByItsFiltersAndShownWithBothValuesStrategyAndAge() throws SQLException {
        String id = "rq-" + UUID.randomUUID();
        long item = heldConflict(id);

        admin().when().get("/admin/review-items?entity=contact&system=billing&kind=conflict")
                .then().statusCode(200).body("id", hasItem((int) item));
        admin().when().get("/admin/review-items?status=resolved").then().statusCode(200).body("id", not(hasItem((int) item)));
        admin().when().get("/admin/review-items?system=erp").then().statusCode(200).body("id", not(hasItem((int) item)));
        admin().when().get("/admin/review-items?minAge=1h").then().statusCode(200).body("id", not(hasItem((int) item)));
        admin().when().get("/admin/review-items?minAge=soon").then().statusCode(400).body("message", containsString("30m"));
        admin().when().get("/admin/review-items?kind=conflicts").then().statusCode(400).body("message", containsString("conflict"));

        admin().when().get("/admin/review-items/" + item).then().statusCode(200)
                .body("item.status", equalTo("open"))
                .body("item.kind", equalTo("conflict"))
                .body("item.strategy", equalTo("review"))
                .body("item.sourceSystem", equalTo("crm"))
                .body("item.targetSystem", equalTo("billing"))
                .body("item.ageSeconds", greaterThanOrEqualTo(0))
                .body("fields.cityReview.source.system", equalTo("crm"))
                .body("fields.cityReview.source.value", equalTo("A"))
                .body("fields.cityReview.source.modifiedAt", equalTo("2024-05-01T09:02:00Z"))
                .body("fields.cityReview.target.system", equalTo("billing"))
                .body("fields.cityReview.target.value", equalTo("B"))
                .body("fields.cityReview.target.modifiedAt", equalTo("2024-05-01T09:01:00Z"))
                .body("fields.cityReview.lastSynced", equalTo("X0"))
                .body("fields.cityReview.strategy", equalTo("review"))
                .body("record.cityReview", equalTo("A"));
        admin().when().get("/admin/review-items/999999999").then().statusCode(404).body("error", equalTo("not_found"));
    }

    @Test
    void resolutionIsWrittenThroughTheApplyRouteAuditedWithTheResolverAndCannotBeRepeated() throws SQLException {
        String id = "rq-" + UUID.randomUUID();
        long item = heldConflict(id);

        admin().contentType(ContentType.JSON).body("{\"fields\": {\"cityReview\": {\"value\": \"Leeds\"}}}")
                .when().post(resolvePath(item))
                .then().statusCode(200)
                .body("status", equalTo("resolved"))
                .body("resolvedBy", equalTo("admin"))
                .body("targetSystem", equalTo("billing"))
                .body("action", equalTo("updated"))
                .body("values.cityReview", equalTo("Leeds"));

        assertThat(TwoWayContacts.row(Side.BILLING, id).get("city_review")).isEqualTo("Leeds");
        assertThat(resolutionAudit(item)).singleElement().satisfies(row -> {
            assertThat(row.get("action")).isEqualTo("updated");
            assertThat(row.get("actor")).isEqualTo("admin");
            assertThat((String) row.get("detail")).contains("review item " + item + " resolved by admin: cityReview = custom value");
        });
        assertThat(TestDatabase.query("SELECT provenance FROM record_state WHERE system = 'billing' AND source_id = ?", id))
                .singleElement().satisfies(row -> assertThat((String) row.get("provenance"))
                        .contains("\"cityReview\":{\"system\":\"review\",\"runId\":\"review-" + item + "\"}"));
        admin().when().get("/admin/review-items/" + item).then().statusCode(200)
                .body("item.status", equalTo("resolved"))
                .body("item.resolvedBy", equalTo("admin"))
                .body("resolution.fields.cityReview.take", equalTo("custom"))
                .body("resolution.fields.cityReview.value", equalTo("Leeds"));

        admin().contentType(ContentType.JSON).body("{\"fields\": {\"cityReview\": \"source\"}}")
                .when().post(resolvePath(item))
                .then().statusCode(409).body("error", equalTo("conflict")).body("message", containsString("already resolved"));
        assertThat(resolutionAudit(item)).hasSize(1);
        admin().contentType(ContentType.JSON).body("{\"fields\": {\"city\": \"source\"}}")
                .when().post(resolvePath(heldConflict("rq-" + UUID.randomUUID())))
                .then().statusCode(400).body("message", containsString("no conflict on city"));
    }

    @Test
    void twoResolutionsAtOnceOneWinsTheOtherGets409() throws Exception {
        String id = "rq-" + UUID.randomUUID();
        long item = heldConflict(id);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<CompletableFuture<Integer>> answers = new ArrayList<>();
            for (String take : List.of("source", "target")) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return admin().contentType(ContentType.JSON).body("{\"fields\": {\"cityReview\": \"" + take + "\"}}")
                            .when().post(resolvePath(item)).then().extract().statusCode();
                }, pool));
            }
            start.countDown();
            List<Integer> statuses = answers.stream().map(CompletableFuture::join).sorted().toList();

            assertThat(statuses).containsExactly(200, 409);
        } finally {
            pool.shutdownNow();
        }
        assertThat(resolutionAudit(item)).singleElement().satisfies(row -> assertThat(row.get("actor")).isEqualTo("admin"));
        assertThat(TestDatabase.query("SELECT status, resolved_by FROM review_item WHERE id = ?", item))
                .containsExactly(Map.of("status", "resolved", "resolved_by", "admin"));
    }

    @Test
    void resolutionWhoseWriteFailsStaysOpenWithTheErrorAndNothingApplied() throws SQLException {
        String id = "rq-" + UUID.randomUUID();
        long item = heldConflict(id);
        Object stateBefore = TestDatabase.query("SELECT last_synced_at, field_values FROM record_state"
                + " WHERE system = 'billing' AND source_id = ?", id);
        String tooLong = "x".repeat(60);

        admin().contentType(ContentType.JSON).body("{\"fields\": {\"cityReview\": {\"value\": \"" + tooLong + "\"}}}")
                .when().post(resolvePath(item))
                .then().statusCode(502)
                .body("error", equalTo("write_failed"))
                .body("message", containsString("value too long"));

        admin().when().get("/admin/review-items/" + item).then().statusCode(200)
                .body("item.status", equalTo("open"))
                .body("item.lastError", containsString("value too long"));
        assertThat(TwoWayContacts.row(Side.BILLING, id).get("city_review")).isEqualTo("B");
        assertThat(TestDatabase.query("SELECT last_synced_at, field_values FROM record_state WHERE system = 'billing'"
                + " AND source_id = ?", id)).isEqualTo(stateBefore);
        assertThat(resolutionAudit(item)).isEmpty();

        admin().contentType(ContentType.JSON).body("{\"fields\": {\"cityReview\": \"source\"}}")
                .when().post(resolvePath(item))
                .then().statusCode(200);
        assertThat(TwoWayContacts.row(Side.BILLING, id).get("city_review")).isEqualTo("A");
        admin().when().get("/admin/review-items/" + item).then().body("item.lastError", equalTo(null));
    }

    @Test
    void discardedItemIsClosedAuditedAndWritesNothing() throws SQLException {
        String id = "rq-" + UUID.randomUUID();
        long item = heldConflict(id);

        admin().contentType(ContentType.JSON).body("{\"reason\": \"billing is right, fixed in the CRM\"}")
                .when().post("/admin/review-items/" + item + "/discard")
                .then().statusCode(200).body("status", equalTo("discarded")).body("discardedBy", equalTo("admin"));
        admin().contentType(ContentType.JSON).body("{}").when().post("/admin/review-items/" + item + "/discard")
                .then().statusCode(409);
        admin().contentType(ContentType.JSON).body("{\"fields\": {\"cityReview\": \"source\"}}")
                .when().post(resolvePath(item)).then().statusCode(409);
        admin().when().post("/admin/review-items/999999999/discard").then().statusCode(404)
                .body("error", equalTo("not_found"));

        assertThat(TwoWayContacts.row(Side.BILLING, id).get("city_review")).isEqualTo("B");
        assertThat(resolutionAudit(item)).singleElement().satisfies(row -> {
            assertThat(row.get("action")).isEqualTo("discarded");
            assertThat(row.get("actor")).isEqualTo("admin");
            assertThat((String) row.get("detail")).contains("billing is right");
        });
    }

    @Test
    void itemsOlderThanTheMaxAgeAreCountedAndListedWhileReadinessStaysUp() throws SQLException {
        heldConflict("rq-" + UUID.randomUUID());
        // syncline.review.max-age is 1s in this profile.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            long overdue = (Long) TestDatabase.query("SELECT count(*) AS n FROM review_item WHERE status = 'open'"
                    + " AND created_at < now() - INTERVAL '1 second'").get(0).get("n");
            List<Long> oldest = TestDatabase.query("SELECT id FROM review_item WHERE status = 'open'"
                            + " AND created_at < now() - INTERVAL '1 second' ORDER BY created_at, id LIMIT 1").stream()
                    .map(row -> (Long) row.get("id")).toList();
            assertThat(overdue).isPositive();
            given().when().get("/q/health/ready").then().statusCode(200)
                    .body("status", equalTo("UP"))
                    .body("checks.find { it.name == 'syncline-review-queue' }.status", equalTo("UP"))
                    .body("checks.find { it.name == 'syncline-review-queue' }.data.maxAge", equalTo("PT1S"))
                    .body("checks.find { it.name == 'syncline-review-queue' }.data.overdue", greaterThanOrEqualTo((int) overdue))
                    .body("checks.find { it.name == 'syncline-review-queue' }.data", org.hamcrest.Matchers.hasKey("item." + oldest.get(0)));
            String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
            Matcher gauge = Pattern.compile("(?m)^syncline_review_items_overdue(?:\\{[^}]*})? ([0-9.E]+)$").matcher(metrics);
            assertThat(gauge.find()).as("syncline_review_items_overdue in /q/metrics").isTrue();
            assertThat(Double.parseDouble(gauge.group(1))).isGreaterThanOrEqualTo(1.0);
        });
    }
}
