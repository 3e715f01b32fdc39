package io.syncline.review;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.TwoWayContacts;
import io.syncline.testsupport.TwoWayContacts.Side;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
 * a resolution whose write fails, custom values of the wrong type, a two-way conflict written to
 * both systems (the other direction's write failing; both directions resolved at once), discard, and overdue items in metrics and health. Then the other
 * kinds: a CRM contact without a last name (held) resolved with a supplied value, and one whose
 * e-mail fits two billing rows (ambiguous) resolved by choosing one or a new row.
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

    private static void ddl(String sql) throws SQLException {
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String resolvePath(long item) {
        return "/admin/review-items/" + item + "/resolve";
    }

    private static List<Map<String, Object>> resolutionAudit(long item) {
        return TestDatabase.query("SELECT action, actor, detail FROM audit_log WHERE run_id = ? ORDER BY id", "review-" + item);
    }

    private static long itemOf(String kind, String crmId) {
        return ((Number) TestDatabase.query("SELECT id FROM review_item WHERE kind = ? AND source_system = 'crm'"
                + " AND source_id = ?", kind, crmId).get(0).get("id")).longValue();
    }

    /** A CRM contact without a last name, held by the CRM mapping's {@code required: hold}. Returns the item's id. */
    private static long heldRecord(String id) throws SQLException {
        TwoWayContacts.insert(Side.CRM, id, id + "@example.com", null);
        assertThat(TwoWayContacts.deliverAndWait(Side.CRM, TwoWayContacts.row(Side.CRM, id))).isEqualTo("held");
        return itemOf("held_record", id);
    }

    /** A CRM contact whose e-mail two unlinked billing rows have ({@code <id>-b1}, {@code <id>-b2}). Returns the item's id. */
    private static long ambiguousMatch(String id) throws SQLException {
        String email = id + "@example.com";
        TwoWayContacts.insert(Side.BILLING, id + "-b1", email, "One");
        TwoWayContacts.insert(Side.BILLING, id + "-b2", email, "Two");
        TwoWayContacts.insert(Side.CRM, id, email, "Lovelace");
        assertThat(TwoWayContacts.deliverAndWait(Side.CRM, TwoWayContacts.row(Side.CRM, id))).isEqualTo("held");
        return itemOf("ambiguous_match", id);
    }

    private static List<Integer> resolveTwiceAtOnce(long item, List<String> bodies) {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<CompletableFuture<Integer>> answers = new ArrayList<>();
            for (String body : bodies) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return admin().contentType(ContentType.JSON).body(body)
                            .when().post(resolvePath(item)).then().extract().statusCode();
                }, pool));
            }
            start.countDown();
            return answers.stream().map(CompletableFuture::join).sorted().toList();
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, Object> billingRow(String externalId) {
        List<Map<String, Object>> rows = TestDatabase.query("SELECT * FROM conflict_billing_contact WHERE external_id = ?",
                externalId);
        return rows.isEmpty() ? null : rows.get(0);
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

        assertThat(resolveTwiceAtOnce(item, List.of("{\"fields\": {\"cityReview\": \"source\"}}",
                "{\"fields\": {\"cityReview\": \"target\"}}"))).containsExactly(200, 409);

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
    void customValueThatDoesNotFitTheFieldsTypeIsRefusedNamingFieldValueAndTypeAndNothingIsWritten() throws SQLException {
        String id = "rq-" + UUID.randomUUID();
        TwoWayContacts.create(id);
        TwoWayContacts.edit(Side.BILLING, id, Map.of("credit_limit", 200, "updated_at", TwoWayContacts.T0.plusSeconds(60)));
        TwoWayContacts.edit(Side.CRM, id, Map.of("credit_limit", 100, "updated_at", TwoWayContacts.T0.plusSeconds(120)));
        assertThat(TwoWayContacts.deliverAndWait(Side.CRM, TwoWayContacts.row(Side.CRM, id))).isEqualTo("held");
        long item = itemOf("conflict", id);

        for (String wrong : List.of("\"abc\"", "12.5", "\"\"", "{\"amount\": 5}")) {
            admin().contentType(ContentType.JSON).body("{\"fields\": {\"creditLimit\": {\"value\": " + wrong + "}}}")
                    .when().post(resolvePath(item))
                    .then().statusCode(400)
                    .body("error", equalTo("bad_request"))
                    .body("message", containsString("creditLimit"))
                    .body("message", containsString("integer"));
        }
        admin().contentType(ContentType.JSON).body("{\"fields\": {\"creditLimit\": {\"value\": \"abc\"}}}")
                .when().post(resolvePath(item)).then().statusCode(400).body("message", containsString("'abc'"));
        assertThat(billingRow(id).get("credit_limit")).isEqualTo(200);
        assertThat(resolutionAudit(item)).isEmpty();
        admin().when().get("/admin/review-items/" + item).then().body("item.status", equalTo("open"));

        admin().contentType(ContentType.JSON).body("{\"fields\": {\"creditLimit\": {\"value\": \"250\"}}}")
                .when().post(resolvePath(item))
                .then().statusCode(200).body("values.creditLimit", equalTo(250));
        assertThat(billingRow(id).get("credit_limit")).isEqualTo(250);
    }

    /**
     * {@link #heldConflict}, and billing's change of cityReview sent the other way, held too:
     * returns the items {crm -> billing, billing -> crm}.
     */
    private static long[] heldBothWays(String id) throws SQLException {
        long fromCrm = heldConflict(id);
        assertThat(TwoWayContacts.deliverAndWait(Side.BILLING, TwoWayContacts.row(Side.BILLING, id))).isEqualTo("held");
        List<Map<String, Object>> open = TwoWayContacts.openReviewItems(id);
        assertThat(open).extracting(row -> row.get("source_system") + "->" + row.get("target_system"))
                .containsExactly("crm->billing", "billing->crm");
        return new long[]{fromCrm, ((Number) open.get(1).get("id")).longValue()};
    }

    /**
     * Resolves the CRM's item of a two-way conflict on cityReview with {@code decision}; asserts
     * that both systems then hold {@code expected}, each written through its own apply route and
     * audited with the resolver, and both items are resolved, billing's with the decision as
     * {@code mirrored}. Returns the items.
     */
    private static long[] resolveBothWays(String id, String decision, String expected, String mirrored, String crmAction)
            throws SQLException {
        long[] items = heldBothWays(id);
        long fromCrm = items[0];
        long fromBilling = items[1];
        admin().when().get("/admin/review-items/" + fromCrm).then().body("related.id", hasItem((int) fromBilling));

        admin().contentType(ContentType.JSON).body("{\"fields\": {\"cityReview\": " + decision + "}}")
                .when().post(resolvePath(fromCrm))
                .then().statusCode(200)
                .body("targetSystem", equalTo("billing"))
                .body("values.cityReview", equalTo(expected))
                .body("related.id", equalTo(List.of((int) fromBilling)))
                .body("related[0].status", equalTo("resolved"))
                .body("related[0].targetSystem", equalTo("crm"))
                .body("related[0].targetId", equalTo(id))
                .body("related[0].action", equalTo(crmAction))
                .body("related[0].values.cityReview", equalTo(expected))
                .body("related[0].error", equalTo(null));

        assertThat(TwoWayContacts.row(Side.BILLING, id).get("city_review")).isEqualTo(expected);
        assertThat(TwoWayContacts.row(Side.CRM, id).get("city_review")).isEqualTo(expected);
        assertThat(TwoWayContacts.openReviewItems(id)).isEmpty();
        assertThat(TestDatabase.query("SELECT target_system, actor FROM audit_log WHERE run_id = ?", "review-" + fromCrm))
                .containsExactly(Map.of("target_system", "billing", "actor", "admin"));
        assertThat(TestDatabase.query("SELECT target_system, action, actor, detail FROM audit_log WHERE run_id = ?",
                "review-" + fromBilling)).singleElement().satisfies(row -> {
                    assertThat(row).containsEntry("target_system", "crm").containsEntry("action", crmAction)
                            .containsEntry("actor", "admin");
                    assertThat((String) row.get("detail")).contains("the other direction of review item " + fromCrm)
                            .contains("review item " + fromBilling + " resolved by admin: cityReview = ");
                });
        admin().when().get("/admin/review-items/" + fromBilling).then().statusCode(200)
                .body("item.status", equalTo("resolved"))
                .body("item.resolvedBy", equalTo("admin"))
                .body("resolution.resolvedWith", equalTo((int) fromCrm))
                .body("resolution.fields.cityReview.take", equalTo(mirrored));
        admin().contentType(ContentType.JSON).body("{\"fields\": {\"cityReview\": \"source\"}}")
                .when().post(resolvePath(fromBilling)).then().statusCode(409);
        return items;
    }

    /** Billing's webhook of its row is an echo, the CRM's is audited {@code crmAction}; neither changes anything. */
    private static void webhooksOfWrittenRowsChangeNothing(String id, String crmAction) {
        webhookOfWrittenRowChangesNothing(Side.BILLING, id, "echo");
        webhookOfWrittenRowChangesNothing(Side.CRM, id, crmAction);
    }

    /**
     * A system's webhook of the row Syncline wrote comes back and changes nothing more: audited
     * {@code action} (an echo, or a duplicate of the event already applied) and no row changes.
     */
    private static void webhookOfWrittenRowChangesNothing(Side side, String id, String action) {
        Map<String, Object> crmBefore = TwoWayContacts.row(Side.CRM, id);
        Map<String, Object> billingBefore = TwoWayContacts.row(Side.BILLING, id);
        long inboxId = TwoWayContacts.deliver(side, TwoWayContacts.row(side, id));
        assertThat(DemoWebhook.finalStatus(inboxId)).isEqualTo("done");
        assertThat(TestDatabase.query("SELECT action FROM audit_log WHERE inbox_id = ?", inboxId))
                .extracting(row -> row.get("action")).containsOnly(action);
        assertThat(TwoWayContacts.row(Side.CRM, id)).isEqualTo(crmBefore);
        assertThat(TwoWayContacts.row(Side.BILLING, id)).isEqualTo(billingBefore);
        assertThat(TwoWayContacts.openReviewItems(id)).isEmpty();
    }

    @Test
    void twoWayConflictResolvedWithTheCrmsValueIsWrittenToBothSystems() throws SQLException {
        String id = "rq-" + UUID.randomUUID();
        resolveBothWays(id, "\"source\"", "A", "target", "unchanged");

        // The CRM's row is as it sent it: the same event, already applied.
        webhooksOfWrittenRowsChangeNothing(id, "skipped-duplicate");
    }

    @Test
    void twoWayConflictResolvedWithBillingsValueIsWrittenToBothSystems() throws SQLException {
        String id = "rq-" + UUID.randomUUID();
        long[] items = resolveBothWays(id, "\"target\"", "B", "source", "updated");

        assertThat(TestDatabase.query("SELECT provenance FROM record_state WHERE system = 'crm' AND source_id = ?", id))
                .singleElement().satisfies(row -> assertThat((String) row.get("provenance"))
                        .contains("\"cityReview\":{\"system\":\"billing\",\"runId\":\"review-" + items[1] + "\"}"));
        webhooksOfWrittenRowsChangeNothing(id, "echo");
    }

    @Test
    void twoWayConflictResolvedWithACustomValueIsWrittenToBothSystems() throws SQLException {
        String id = "rq-" + UUID.randomUUID();
        long[] items = resolveBothWays(id, "{\"value\": \"Leeds\"}", "Leeds", "custom", "updated");

        admin().when().get("/admin/review-items/" + items[1]).then().body("resolution.fields.cityReview.value", equalTo("Leeds"));
        webhooksOfWrittenRowsChangeNothing(id, "echo");
    }

    @Test
    void twoWayConflictWhoseFirstWriteFailsWritesNeitherAndClosesNeither() throws SQLException {
        String id = "rq-" + UUID.randomUUID();
        long[] items = heldBothWays(id);

        admin().contentType(ContentType.JSON).body("{\"fields\": {\"cityReview\": {\"value\": \"" + "x".repeat(60) + "\"}}}")
                .when().post(resolvePath(items[0])).then().statusCode(502);

        assertThat(TwoWayContacts.openReviewItems(id)).hasSize(2);
        assertThat(TwoWayContacts.row(Side.BILLING, id).get("city_review")).isEqualTo("B");
        assertThat(TwoWayContacts.row(Side.CRM, id).get("city_review")).isEqualTo("A");
        assertThat(resolutionAudit(items[0])).isEmpty();
        assertThat(resolutionAudit(items[1])).isEmpty();
    }

    @Test
    void twoWayConflictWhoseSecondWriteFailsLeavesTheFirstResolvedAndTheOtherOpenWithTheError() throws SQLException {
        String id = "rq-" + UUID.randomUUID();
        long[] items = heldBothWays(id);
        // The CRM refuses this value (billing takes it): the second write fails. NOT VALID: rows of
        // earlier runs holding it stay.
        ddl("ALTER TABLE conflict_crm_contact DROP CONSTRAINT IF EXISTS crm_refuses_value");
        ddl("ALTER TABLE conflict_crm_contact ADD CONSTRAINT crm_refuses_value"
                + " CHECK (city_review IS DISTINCT FROM 'Refused') NOT VALID");
        try {
            admin().contentType(ContentType.JSON).body("{\"fields\": {\"cityReview\": {\"value\": \"Refused\"}}}")
                    .when().post(resolvePath(items[0]))
                    .then().statusCode(200)
                    .body("status", equalTo("resolved"))
                    .body("values.cityReview", equalTo("Refused"))
                    .body("related.id", equalTo(List.of((int) items[1])))
                    .body("related[0].status", equalTo("open"))
                    .body("related[0].error", equalTo("write_failed"))
                    .body("related[0].message", containsString("crm_refuses_value"));
        } finally {
            ddl("ALTER TABLE conflict_crm_contact DROP CONSTRAINT IF EXISTS crm_refuses_value");
        }

        assertThat(TwoWayContacts.row(Side.BILLING, id).get("city_review")).isEqualTo("Refused");
        assertThat(TwoWayContacts.row(Side.CRM, id).get("city_review")).isEqualTo("A");
        assertThat(resolutionAudit(items[0])).singleElement().satisfies(row -> assertThat(row.get("actor")).isEqualTo("admin"));
        assertThat(resolutionAudit(items[1])).isEmpty();
        admin().when().get("/admin/review-items/" + items[0]).then().body("item.status", equalTo("resolved"));
        admin().when().get("/admin/review-items/" + items[1]).then().statusCode(200)
                .body("item.status", equalTo("open"))
                .body("item.resolvedBy", equalTo(null))
                .body("item.lastError", containsString("crm_refuses_value"));

        // A person's retry of the other item is a resolution like any other.
        admin().contentType(ContentType.JSON).body("{\"fields\": {\"cityReview\": {\"value\": \"Refused\"}}}")
                .when().post(resolvePath(items[1]))
                .then().statusCode(200)
                .body("targetSystem", equalTo("crm"))
                .body("related", equalTo(List.of()));
        assertThat(TwoWayContacts.row(Side.CRM, id).get("city_review")).isEqualTo("Refused");
        assertThat(resolutionAudit(items[1])).singleElement().satisfies(row -> assertThat(row.get("actor")).isEqualTo("admin"));
        admin().when().get("/admin/review-items/" + items[1]).then()
                .body("item.status", equalTo("resolved"))
                .body("item.lastError", equalTo(null));
        assertThat(TwoWayContacts.openReviewItems(id)).isEmpty();
    }

    @Test
    void bothDirectionsResolvedAtOnceOneWinsTheOtherGets409AndBothSystemsHoldTheWinnersValue() throws Exception {
        String id = "rq-" + UUID.randomUUID();
        long[] items = heldBothWays(id);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Integer> answers;
        try {
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int n = 0; n < 2; n++) {
                long item = items[n];
                String city = n == 0 ? "Leeds" : "York";
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return admin().contentType(ContentType.JSON).body("{\"fields\": {\"cityReview\": {\"value\": \""
                            + city + "\"}}}").when().post(resolvePath(item)).then().extract().statusCode();
                }, pool));
            }
            start.countDown();
            answers = calls.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }

        assertThat(answers).containsExactlyInAnyOrder(200, 409);
        String winner = answers.get(0) == 200 ? "Leeds" : "York";
        assertThat(TwoWayContacts.row(Side.BILLING, id).get("city_review")).isEqualTo(winner);
        assertThat(TwoWayContacts.row(Side.CRM, id).get("city_review")).isEqualTo(winner);
        assertThat(TwoWayContacts.openReviewItems(id)).isEmpty();
        assertThat(resolutionAudit(items[0])).hasSize(1);
        assertThat(resolutionAudit(items[1])).hasSize(1);
    }

    @Test
    void heldRecordIsResolvedWithATypeCheckedValuePerHeldFieldThroughTheApplyRoute() throws SQLException {
        String id = "rq-" + UUID.randomUUID();
        long item = heldRecord(id);
        admin().when().get("/admin/review-items/" + item).then().statusCode(200)
                .body("item.kind", equalTo("held_record"))
                .body("item.strategy", equalTo("required: hold"))
                .body("heldFields", equalTo(List.of("lastName")));

        admin().contentType(ContentType.JSON).body("{}").when().post(resolvePath(item))
                .then().statusCode(400).body("message", containsString("lastName"));
        admin().contentType(ContentType.JSON).body("{\"fields\": {\"lastName\": {\"value\": \"Hopper\"}, \"city\": {\"value\": \"x\"}}}")
                .when().post(resolvePath(item)).then().statusCode(400).body("message", containsString("not held: city"));
        admin().contentType(ContentType.JSON).body("{\"fields\": {\"lastName\": {\"value\": \" \"}}}")
                .when().post(resolvePath(item)).then().statusCode(400).body("message", containsString("lastName"));
        admin().contentType(ContentType.JSON).body("{\"fields\": {\"lastName\": {\"value\": [\"Hopper\"]}}}")
                .when().post(resolvePath(item)).then().statusCode(400).body("message", containsString("string"));
        assertThat(billingRow(id)).isNull();

        admin().contentType(ContentType.JSON).body("{\"fields\": {\"lastName\": {\"value\": \"Hopper\"}}}")
                .when().post(resolvePath(item))
                .then().statusCode(200)
                .body("status", equalTo("resolved"))
                .body("resolvedBy", equalTo("admin"))
                .body("targetSystem", equalTo("billing"))
                .body("targetId", equalTo(id))
                .body("action", equalTo("created"))
                .body("values.lastName", equalTo("Hopper"));

        assertThat(billingRow(id)).containsEntry("last_name", "Hopper").containsEntry("email", id + "@example.com");
        assertThat(resolutionAudit(item)).singleElement().satisfies(row -> {
            assertThat(row.get("action")).isEqualTo("created");
            assertThat(row.get("actor")).isEqualTo("admin");
            assertThat((String) row.get("detail")).contains("review item " + item + " resolved by admin: lastName = supplied value");
        });
        admin().when().get("/admin/review-items/" + item).then()
                .body("item.status", equalTo("resolved"))
                .body("resolution.fields.lastName.value", equalTo("Hopper"));
        admin().contentType(ContentType.JSON).body("{\"fields\": {\"lastName\": {\"value\": \"Hopper\"}}}")
                .when().post(resolvePath(item)).then().statusCode(409).body("message", containsString("already resolved"));
    }

    @Test
    void heldRecordResolvedTwiceAtOnceIsWrittenOnce() throws SQLException {
        String id = "rq-" + UUID.randomUUID();
        long item = heldRecord(id);

        assertThat(resolveTwiceAtOnce(item, List.of("{\"fields\": {\"lastName\": {\"value\": \"Hopper\"}}}",
                "{\"fields\": {\"lastName\": {\"value\": \"Lamarr\"}}}"))).containsExactly(200, 409);

        List<Map<String, Object>> audit = resolutionAudit(item);
        assertThat(audit).singleElement().satisfies(row -> assertThat(row.get("action")).isEqualTo("created"));
        String written = (String) billingRow(id).get("last_name");
        assertThat(written).isIn("Hopper", "Lamarr");
        admin().when().get("/admin/review-items/" + item).then().body("resolution.fields.lastName.value", equalTo(written));
    }

    @Test
    void heldRecordWhoseWriteFailsStaysOpenWithTheErrorAndNothingApplied() throws SQLException {
        String id = "rq-" + UUID.randomUUID();
        long item = heldRecord(id);

        admin().contentType(ContentType.JSON).body("{\"fields\": {\"lastName\": {\"value\": \"" + "x".repeat(300) + "\"}}}")
                .when().post(resolvePath(item))
                .then().statusCode(502).body("error", equalTo("write_failed")).body("message", containsString("value too long"));

        admin().when().get("/admin/review-items/" + item).then()
                .body("item.status", equalTo("open"))
                .body("item.lastError", containsString("value too long"));
        assertThat(billingRow(id)).isNull();
        assertThat(resolutionAudit(item)).isEmpty();
        assertThat(TestDatabase.query("SELECT 1 FROM record_state WHERE source_id = ?", id)).isEmpty();

        admin().contentType(ContentType.JSON).body("{\"fields\": {\"lastName\": {\"value\": \"Hopper\"}}}")
                .when().post(resolvePath(item)).then().statusCode(200);
        assertThat(billingRow(id)).containsEntry("last_name", "Hopper");
    }

    @Test
    void ambiguousMatchResolvedByChoosingACandidateIsLinkedSoTheNextEventGoesThereUnasked() throws SQLException {
        String id = "rq-" + UUID.randomUUID();
        long item = ambiguousMatch(id);
        admin().when().get("/admin/review-items/" + item).then().statusCode(200)
                .body("item.kind", equalTo("ambiguous_match"))
                .body("matchRule", equalTo("email"))
                .body("candidates.systemId", org.hamcrest.Matchers.containsInAnyOrder(id + "-b1", id + "-b2"));

        admin().contentType(ContentType.JSON).body("{\"candidate\": \"" + id + "-b9\"}").when().post(resolvePath(item))
                .then().statusCode(400).body("message", containsString("not a candidate"));
        admin().contentType(ContentType.JSON).body("{\"candidate\": \"" + id + "-b1\", \"createNew\": true}")
                .when().post(resolvePath(item)).then().statusCode(400).body("message", containsString("createNew"));

        admin().contentType(ContentType.JSON).body("{\"candidate\": \"" + id + "-b2\"}").when().post(resolvePath(item))
                .then().statusCode(200)
                .body("targetSystem", equalTo("billing"))
                .body("targetId", equalTo(id + "-b2"))
                .body("action", equalTo("updated"));

        assertThat(billingRow(id + "-b2")).containsEntry("last_name", "Lovelace");
        assertThat(billingRow(id + "-b1")).containsEntry("last_name", "One");
        assertThat(TestDatabase.query("SELECT b.system_id FROM id_map c JOIN id_map b ON b.entity = c.entity"
                + " AND b.canonical_id = c.canonical_id AND b.system = 'billing' WHERE c.entity = 'contact'"
                + " AND c.system = 'crm' AND c.system_id = ?", id)).containsExactly(Map.of("system_id", id + "-b2"));
        assertThat(resolutionAudit(item)).singleElement().satisfies(row -> {
            assertThat(row.get("actor")).isEqualTo("admin");
            assertThat((String) row.get("detail")).contains("resolved by admin: billing record " + id + "-b2");
        });

        // The record's next change goes to the chosen row through the ID map: no new review item.
        TwoWayContacts.edit(Side.CRM, id, Map.of("city", "Leeds", "updated_at", TwoWayContacts.T0.plusSeconds(300)));
        assertThat(TwoWayContacts.deliverAndWait(Side.CRM, TwoWayContacts.row(Side.CRM, id))).isEqualTo("done");
        assertThat(billingRow(id + "-b2")).containsEntry("city", "Leeds");
        assertThat(billingRow(id + "-b1")).containsEntry("city", "X0");
        assertThat(TestDatabase.query("SELECT id FROM review_item WHERE source_id = ? AND status = 'open'", id)).isEmpty();
    }

    @Test
    void ambiguousMatchResolvedWithANewRecordCreatesAndLinksIt() throws SQLException {
        String id = "rq-" + UUID.randomUUID();
        long item = ambiguousMatch(id);

        admin().contentType(ContentType.JSON).body("{\"createNew\": true}").when().post(resolvePath(item))
                .then().statusCode(200)
                .body("targetId", equalTo(id))
                .body("action", equalTo("created"));

        assertThat(billingRow(id)).containsEntry("last_name", "Lovelace");
        assertThat(billingRow(id + "-b1")).containsEntry("last_name", "One");
        assertThat(billingRow(id + "-b2")).containsEntry("last_name", "Two");
        assertThat(TestDatabase.query("SELECT 1 FROM id_map WHERE entity = 'contact' AND system = 'billing' AND system_id = ?",
                id)).hasSize(1);
        admin().when().get("/admin/review-items/" + item).then().body("resolution.createNew", equalTo(true));
        admin().contentType(ContentType.JSON).body("{\"createNew\": true}").when().post(resolvePath(item)).then().statusCode(409);
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
