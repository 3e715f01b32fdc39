package io.syncline.rules;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.SlackStub;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.TwoWayContacts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The orders of the two-way contacts' model (src/test/resources/conflict-routes), CRM to billing,
 * with four rules: an amount over 10,000 waits for approval, and approving it writes it; a quantity
 * that falls by more than half is held too, and approved in the console; a quantity under the reorder point is told to Slack
 * and written; a blocked order is a dead letter naming its rule, whatever hold it meets too. Each firing audited and counted.
 */
@QuarkusTest
@TestProfile(TwoWayContacts.Profile.class)
@WithTestResource(PostgresDatabaseResource.class)
class RulesFlowTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String WEBHOOK = "/webhooks/echo/crm-orders";
    private static SlackStub slack;

    @BeforeAll
    static void tablesAndSlack() throws SQLException, IOException {
        TwoWayContacts.createTables();
        slack = new SlackStub(TwoWayContacts.Profile.ruleAlertsPort());
    }

    @AfterAll
    static void stopSlack() {
        slack.close();
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    private static Map<String, Object> order(String id, String amount, int quantity, int reorderPoint, String status) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("id", id);
        order.put("amount", amount);
        order.put("quantity", quantity);
        order.put("reorder_point", reorderPoint);
        order.put("status", status);
        return order;
    }

    /** Posts the CRM's webhook of the order and returns the event's final status (done, held or dead). */
    private static String deliver(Map<String, Object> order) {
        Integer inboxId = given().contentType(ContentType.JSON).body(order).when().post(WEBHOOK)
                .then().statusCode(202).extract().path("inboxId");
        return DemoWebhook.finalStatus(inboxId.longValue());
    }

    private static List<Map<String, Object>> billing(String id) {
        return TestDatabase.query("SELECT amount, quantity, status FROM rule_billing_order WHERE id = ?", id);
    }

    private static List<Map<String, Object>> audit(String id) {
        return TestDatabase.query("SELECT action, detail, actor FROM audit_log WHERE entity = 'order' AND source_id = ?"
                + " ORDER BY id", id);
    }

    private static double firings(String rule, String action) {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        String series = "syncline_rule_firings_total{action=\"" + action + "\",entity=\"order\",rule=\"" + rule
                + "\",target=\"billing\"} ";
        return metrics.lines().filter(line -> line.startsWith(series)).mapToDouble(line -> Double.parseDouble(
                line.substring(series.length()).trim())).findFirst().orElse(0.0);
    }

    @Test
    void anAmountOverTheLimitWaitsForApprovalAndApprovingItWritesIt() {
        String id = "big-" + RUN;
        double before = firings("bigAmount", "hold");

        assertThat(deliver(order(id, "12500.00", 10, 2, "open"))).isEqualTo("held");

        assertThat(billing(id)).isEmpty();
        List<Map<String, Object>> items = TestDatabase.query("SELECT id, kind, target_system, strategy, reason FROM review_item"
                + " WHERE entity = 'order' AND source_id = ? AND status = 'open'", id);
        assertThat(items).hasSize(1);
        Map<String, Object> item = items.get(0);
        assertThat(item).containsEntry("kind", "held_by_rule").containsEntry("target_system", "billing")
                .containsEntry("strategy", "rule bigAmount (amount > 10000)");
        assertThat((String) item.get("reason")).contains("held for approval by rule bigAmount");
        assertThat(audit(id)).anySatisfy(entry -> assertThat(entry).containsEntry("action", "held")
                .satisfies(e -> assertThat((String) e.get("detail")).contains("rule bigAmount")));
        assertThat(firings("bigAmount", "hold")).isEqualTo(before + 1);
        long itemId = ((Number) item.get("id")).longValue();
        admin().when().get("/admin/review-items/" + itemId).then().statusCode(200)
                .body("item.strategy", equalTo("rule bigAmount (amount > 10000)"))
                .body("ruleValues.amount.new", equalTo(12500.0f));

        // anything but an approval is refused, and nothing is written
        admin().contentType(ContentType.JSON).body("{\"fields\": {}}").when().post("/admin/review-items/" + itemId + "/resolve")
                .then().statusCode(400).body("message", containsString("{\"approve\": true}"));
        assertThat(billing(id)).isEmpty();

        admin().contentType(ContentType.JSON).body("{\"approve\": true}").when().post("/admin/review-items/" + itemId + "/resolve")
                .then().statusCode(200).body("status", equalTo("resolved")).body("action", equalTo("created"));

        assertThat(billing(id)).singleElement().satisfies(row -> assertThat((BigDecimal) row.get("amount"))
                .isEqualByComparingTo("12500.00"));
        assertThat(TestDatabase.query("SELECT status, resolved_by FROM review_item WHERE id = ?", itemId).get(0))
                .containsEntry("status", "resolved").containsEntry("resolved_by", "admin");
        assertThat(audit(id)).anySatisfy(entry -> assertThat(entry).containsEntry("action", "created")
                .containsEntry("actor", "admin")
                .satisfies(e -> assertThat((String) e.get("detail")).contains("approved against rule bigAmount")));
        // the approval is not a second firing
        assertThat(firings("bigAmount", "hold")).isEqualTo(before + 1);
    }

    @Test
    void aSecondChargeOfTheSameAmountToTheSameCustomerWithinADayWaitsForApproval() {
        String customer = "cust-" + RUN;
        String first = "charge-a-" + RUN;
        String second = "charge-b-" + RUN;
        double before = firings("doubleCharge", "hold");
        Map<String, Object> charge = order(first, "250.00", 1, 0, "open");
        charge.put("customer", customer);
        charge.put("placed_at", "2026-11-29T10:00:00Z");
        assertThat(deliver(charge)).isEqualTo("done");
        // the same record again, changed elsewhere, repeats nothing
        charge.put("quantity", 2);
        assertThat(deliver(charge)).isEqualTo("done");

        // another charge of 250 to the customer half an hour later: a duplicate until a person says otherwise
        Map<String, Object> again = new LinkedHashMap<>(charge);
        again.put("id", second);
        again.put("amount", "250");
        again.put("placed_at", "2026-11-29T10:30:00Z");
        assertThat(deliver(again)).isEqualTo("held");
        assertThat(billing(second)).isEmpty();
        List<Map<String, Object>> items = TestDatabase.query("SELECT id, strategy FROM review_item WHERE entity = 'order'"
                + " AND source_id = ? AND kind = 'held_by_rule' AND status = 'open'", second);
        assertThat(items).singleElement().satisfies(item -> assertThat(item).containsEntry("strategy",
                "rule doubleCharge (same (amount, customer) within 24h of placedAt)"));
        long itemId = ((Number) items.get(0).get("id")).longValue();
        admin().when().get("/admin/review-items/" + itemId).then().statusCode(200)
                .body("ruleValues.customer.new", equalTo(customer))
                .body("ruleValues.repeats.at", equalTo("2026-11-29T10:00:00Z"));
        assertThat(firings("doubleCharge", "hold")).isEqualTo(before + 1);

        // a day and a half later, or to another customer, or of another amount: no duplicate
        Map<String, Object> later = new LinkedHashMap<>(again);
        later.put("id", "charge-c-" + RUN);
        later.put("placed_at", "2026-11-30T22:00:00Z");
        assertThat(deliver(later)).isEqualTo("done");
        Map<String, Object> other = new LinkedHashMap<>(again);
        other.put("id", "charge-d-" + RUN);
        other.put("customer", "other-" + RUN);
        assertThat(deliver(other)).isEqualTo("done");
        Map<String, Object> more = new LinkedHashMap<>(again);
        more.put("id", "charge-e-" + RUN);
        more.put("amount", "250.01");
        assertThat(deliver(more)).isEqualTo("done");

        admin().contentType(ContentType.JSON).body("{\"approve\": true}").when().post("/admin/review-items/" + itemId + "/resolve")
                .then().statusCode(200).body("status", equalTo("resolved")).body("action", equalTo("created"));
        assertThat(billing(second)).singleElement().satisfies(row -> assertThat((BigDecimal) row.get("amount"))
                .isEqualByComparingTo("250"));
        assertThat(firings("doubleCharge", "hold")).isEqualTo(before + 1);
        // the approved charge is the mark of its values now: a subject access request for it lists the mark
        // (a digest, not the values)
        Integer access = admin().contentType(ContentType.JSON).body(Map.of("kind", "access", "entity", "order", "system", "crm",
                "id", second)).when().post("/admin/privacy-requests").then().statusCode(201).extract().path("id");
        List<Map<String, Object>> listed = admin().when().get("/admin/privacy-requests/" + access + "/export").then()
                .statusCode(200).extract().jsonPath().getList("syncline.rule_repeat");
        assertThat(listed).singleElement().satisfies(mark -> assertThat(mark).containsEntry("rule_name", "doubleCharge")
                .doesNotContainValue(customer));
        // the marks keep a digest of the values compared, never the values
        assertThat(TestDatabase.query("SELECT digest, record_key FROM rule_repeat WHERE entity = 'order'"
                + " AND rule_name = 'doubleCharge'")).isNotEmpty().allSatisfy(mark -> {
                    assertThat((String) mark.get("digest")).matches("[0-9a-f]{64}");
                    assertThat(mark.values().toString()).doesNotContain(customer);
                });
    }

    @Test
    void aStockDecreaseOfMoreThanHalfIsHeldAndApprovedInTheConsole() {
        String id = "drop-" + RUN;
        assertThat(deliver(order(id, "10.00", 100, 5, "open"))).isEqualTo("done");
        // from the 100 billing holds, 60 is a fall of 40 %
        assertThat(deliver(order(id, "10.00", 60, 5, "open"))).isEqualTo("done");
        assertThat(billing(id)).singleElement().satisfies(row -> assertThat(row).containsEntry("quantity", 60));

        // from 60, 20 is a fall of two thirds
        assertThat(deliver(order(id, "10.00", 20, 5, "open"))).isEqualTo("held");
        assertThat(billing(id)).singleElement().satisfies(row -> assertThat(row).containsEntry("quantity", 60));
        List<Map<String, Object>> items = TestDatabase.query("SELECT id, strategy FROM review_item WHERE entity = 'order'"
                + " AND source_id = ? AND kind = 'held_by_rule' AND status = 'open'", id);
        assertThat(items).singleElement().satisfies(row -> assertThat(row).containsEntry("strategy",
                "rule stockDrop (quantity decreases by more than 50%)"));
        long itemId = ((Number) items.get(0).get("id")).longValue();

        String session = logInWithForm();
        String page = given().cookie("syncline-console", session).when().get("/console/review/" + itemId)
                .then().statusCode(200).extract().asString();
        assertThat(page).contains("held by rule", "rule stockDrop (quantity decreases by more than 50%)", "Approve and write");
        assertThat(page).contains("<th scope=\"row\">quantity</th><td>20</td><td>60</td>");
        given().cookie("syncline-console", session).redirects().follow(false).formParam("approve", "true")
                .when().post("/console/review/" + itemId + "/resolve").then().statusCode(303);

        assertThat(billing(id)).singleElement().satisfies(row -> assertThat(row).containsEntry("quantity", 20));
        assertThat(TestDatabase.query("SELECT status FROM review_item WHERE id = ?", itemId).get(0))
                .containsEntry("status", "resolved");
    }

    /** The console's session cookie of the admin, by a form login. */
    private static String logInWithForm() {
        var answer = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", "admin").formParam("j_password", "test-only-password")
                .when().post("/j_security_check");
        assertThat(answer.statusCode()).isEqualTo(302);
        return answer.getCookie("syncline-console");
    }

    @Test
    void aQuantityUnderTheReorderPointIsToldToSlackAndApplied() {
        String id = "low-" + RUN;
        double before = firings("lowStock", "alert");

        assertThat(deliver(order(id, "10.00", 3, 5, "open"))).isEqualTo("done");

        assertThat(billing(id)).singleElement().satisfies(row -> assertThat(row).containsEntry("quantity", 3));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(slack.messages)
                .anySatisfy(message -> assertThat(message).containsEntry("alert", "SynclineRuleFired")
                        .containsEntry("status", "firing").containsEntry("rule", "lowStock")
                        .containsEntry("entity", "order").containsEntry("target", "billing")
                        .satisfies(m -> assertThat((String) m.get("text")).contains(id, "quantity < reorderPoint"))));
        assertThat(audit(id)).anySatisfy(entry -> assertThat(entry).containsEntry("action", "created")
                .satisfies(e -> assertThat((String) e.get("detail")).contains("rule lowStock (quantity < reorderPoint) fired: alert")));
        assertThat(firings("lowStock", "alert")).isEqualTo(before + 1);
    }

    @Test
    void aBlockedOrderIsADeadLetterNamingTheRuleWhateverElseItMeets() {
        String id = "blocked-" + RUN;
        double before = firings("blocked", "reject");

        // over the limit too: a reject wins over a hold, which no approval could get past it
        assertThat(deliver(order(id, "20000.00", 10, 5, "blocked"))).isEqualTo("dead");

        assertThat(billing(id)).isEmpty();
        assertThat(TestDatabase.query("SELECT reason FROM dead_letter WHERE entity = 'order' AND payload LIKE ?", "%" + id + "%"))
                .singleElement().satisfies(row -> assertThat((String) row.get("reason"))
                        .contains("rejected by rule blocked (status == 'blocked')"));
        assertThat(audit(id)).anySatisfy(entry -> assertThat(entry).containsEntry("action", "failed")
                .satisfies(e -> assertThat((String) e.get("detail")).contains("rule blocked")));
        assertThat(firings("blocked", "reject")).isEqualTo(before + 1);
    }
}
