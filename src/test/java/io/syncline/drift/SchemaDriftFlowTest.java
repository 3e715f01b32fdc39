package io.syncline.drift;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.TwoWayContacts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Schema drift acted on (docs/real-time.md#schema-drift), on the subscribers of the two-way
 * contacts' model (src/test/resources/conflict-routes/drift-subscribers.syncline.yaml): the CRM
 * renames a field the mapping needs mid-stream. The mapping pauses at the first payload without it,
 * nothing is rejected, the rename proposed is the right one (the API and the console's overview say
 * so), and accepting it applies every event that waited, once each, in order. A field that
 * changes type pauses the mapping as well, without making the inbox's backlog alarms fire, and
 * resuming applies what waited.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestProfile(TwoWayContacts.Profile.class)
@WithTestResource(PostgresDatabaseResource.class)
class SchemaDriftFlowTest {

    private static final String WEBHOOK = "/webhooks/echo/crm-subscribers";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void tablesAndNoEarlierDrift() throws SQLException {
        TwoWayContacts.createTables();
        // the subscribers' known fields, drifts and unfinished events of an earlier run in this
        // database: this run starts the story
        TestDatabase.update("DELETE FROM inbox WHERE entity = 'subscriber' AND status IN ('pending', 'processing')");
        TestDatabase.update("DELETE FROM schema_drift WHERE entity = 'subscriber'");
        TestDatabase.update("DELETE FROM schema_field WHERE entity = 'subscriber'");
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    private static long post(Map<String, Object> subscriber) {
        Integer inboxId = given().contentType(ContentType.JSON).body(subscriber).when().post(WEBHOOK)
                .then().statusCode(202).extract().path("inboxId");
        return inboxId.longValue();
    }

    private static Map<String, Object> subscriber(String id, String email, String... more) {
        Map<String, Object> subscriber = new LinkedHashMap<>();
        subscriber.put("id", id);
        subscriber.put("email", email);
        for (int i = 0; i < more.length; i += 2) {
            subscriber.put(more[i], more[i + 1]);
        }
        return subscriber;
    }

    /** The console's session cookie of the admin's form login. */
    private static String logIn() {
        io.restassured.response.Response answer = given().redirects().follow(false)
                .contentType("application/x-www-form-urlencoded").formParam("j_username", "admin")
                .formParam("j_password", "test-only-password").when().post("/j_security_check");
        assertThat(answer.statusCode()).isEqualTo(302);
        return answer.getCookie("syncline-console");
    }

    private static String console(String session) {
        return given().cookie("syncline-console", session).when().get("/console").then().statusCode(200).extract().asString();
    }

    /** {@code first}, then {@code rest}: a query's parameters. */
    private static Object[] concat(Object first, List<?> rest) {
        List<Object> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all.toArray();
    }

    /** One placeholder per value, for an IN list. */
    private static String marks(List<?> values) {
        return String.join(", ", java.util.Collections.nCopies(values.size(), "?"));
    }

    private static List<Map<String, Object>> subscriberDrifts() {
        JsonPath drifts = admin().when().get("/admin/schema-drifts").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> mine = drifts.getList("findAll { it.entity == 'subscriber' }");
        return mine;
    }

    @Test
    @Order(1)
    void aFieldRenamedMidStreamPausesTheMappingAndAcceptingTheProposedRenameAppliesWhatWaited() {
        String ada = "ada-" + RUN;
        String bob = "bob-" + RUN;
        String cy = "cy-" + RUN;
        String dee = "dee-" + RUN;
        Map<String, String> phones = Map.of(ada, "+4420794600" + RUN.substring(0, 2), bob, "+4420794601" + RUN.substring(0, 2),
                cy, "+4420794602" + RUN.substring(0, 2));

        // Before: the CRM sends phone, and each subscriber is applied as it comes.
        for (String id : List.of(ada, bob, cy)) {
            assertThat(TestDatabase.awaitSettledOn(TestDatabase.url(),
                    post(subscriber(id, id + "@example.com", "phone", phones.get(id))))).isEqualTo("done");
        }

        // Then the CRM renames phone to mobile, and starts sending a fax number too: no rename, though
        // one subscriber's fax is the phone it had.
        List<Long> renamed = new ArrayList<>();
        renamed.add(post(subscriber(ada, "v2." + ada + "@example.com", "mobile", phones.get(ada), "fax", "+4420700000" + RUN.substring(0, 2))));
        renamed.add(post(subscriber(bob, "v2." + bob + "@example.com", "mobile", phones.get(bob), "fax", phones.get(bob))));
        renamed.add(post(subscriber(ada, "v3." + ada + "@example.com", "mobile", phones.get(ada), "fax", "+4420700002" + RUN.substring(0, 2))));
        renamed.add(post(subscriber(cy, "v2." + cy + "@example.com", "mobile", phones.get(cy), "fax", "+4420700003" + RUN.substring(0, 2))));
        renamed.add(post(subscriber(dee, dee + "@example.com", "mobile", "+4420794603" + RUN.substring(0, 2))));

        // The mapping pauses: each event tried waits in the inbox, its reason naming the drift (ada's
        // second waits, untried, behind her first); none is rejected, none applied.
        List<Long> tried = List.of(renamed.get(0), renamed.get(1), renamed.get(3), renamed.get(4));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> TestDatabase.query(
                "SELECT id FROM inbox WHERE status = 'pending' AND attempts = 0 AND last_error = ? AND id IN (" + marks(tried) + ")",
                concat("paused by schema drift: field phone (phone) of subscriber from crm is missing", tried)).size() == tried.size());
        assertThat(TestDatabase.query("SELECT status, last_error FROM inbox WHERE id = ?", renamed.get(2))).singleElement()
                .satisfies(event -> assertThat(event).containsEntry("status", "pending").containsEntry("last_error", null));
        Map<String, Object> drift = subscriberDrifts().stream().filter(d -> "paused".equals(d.get("status"))).findFirst().orElseThrow();
        assertThat(drift).containsEntry("system", "crm").containsEntry("field", "phone").containsEntry("path", "phone")
                .containsEntry("change", "missing").containsEntry("wasType", "string").containsEntry("waiting", renamed.size());
        assertThat(TestDatabase.query("SELECT id FROM dead_letter WHERE inbox_id IN (" + marks(renamed) + ")", renamed.toArray()))
                .isEmpty();
        assertThat(TestDatabase.query("SELECT id FROM review_item WHERE entity = 'subscriber' AND source_id IN (?, ?, ?, ?)",
                ada, bob, cy, dee)).isEmpty();
        assertThat(TestDatabase.query("SELECT id, email, phone FROM drift_billing_subscriber WHERE id IN (?, ?, ?, ?) ORDER BY id",
                ada, bob, cy, dee)).extracting(row -> row.get("email"))
                .containsExactly(ada + "@example.com", bob + "@example.com", cy + "@example.com");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> given().when().get("/q/metrics")
                .then().statusCode(200).extract().asString().lines().anyMatch(line -> line.equals("syncline_mappings_paused 1.0")));

        // The proposal: mobile carries, record by record, the values phone last had (dee has no earlier value to compare).
        @SuppressWarnings("unchecked")
        Map<String, Object> proposal = (Map<String, Object>) drift.get("proposal");
        assertThat(proposal).containsEntry("renameTo", "mobile").containsEntry("compared", 4);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> candidates = (List<Map<String, Object>>) proposal.get("candidates");
        assertThat(candidates).first().isEqualTo(Map.of("path", "mobile", "matches", 4));
        assertThat(candidates).extracting(c -> c.get("path")).containsExactly("mobile", "fax");

        // The console's overview shows the paused mapping with the rename proposed and its buttons.
        long driftId = ((Number) drift.get("id")).longValue();
        String session = logIn();
        assertThat(console(session)).contains("id=\"drift-" + driftId + "\"", "<code class=\"proposed\">mobile</code>",
                "id=\"accept-" + driftId + "\"", "id=\"resume-" + driftId + "\"");

        // Accepting it resumes the mapping: every waiting event is applied, once, in order.
        admin().when().post("/admin/schema-drifts/" + driftId + "/accept").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("renamed"))
                .body("renamedTo", org.hamcrest.Matchers.equalTo("mobile"))
                .body("resolvedBy", org.hamcrest.Matchers.equalTo("admin"));
        for (long id : renamed) {
            assertThat(TestDatabase.awaitSettledOn(TestDatabase.url(), id)).isEqualTo("done");
        }
        assertThat(TestDatabase.query("SELECT id, email, phone FROM drift_billing_subscriber WHERE id IN (?, ?, ?, ?) ORDER BY id",
                ada, bob, cy, dee)).containsExactly(
                        Map.of("id", ada, "email", "v3." + ada + "@example.com", "phone", phones.get(ada)),
                        Map.of("id", bob, "email", "v2." + bob + "@example.com", "phone", phones.get(bob)),
                        Map.of("id", cy, "email", "v2." + cy + "@example.com", "phone", phones.get(cy)),
                        Map.of("id", dee, "email", dee + "@example.com", "phone", "+4420794603" + RUN.substring(0, 2)));
        Map<Long, Object> applied = new LinkedHashMap<>();
        for (Map<String, Object> row : TestDatabase.query("SELECT inbox_id, action FROM audit_log WHERE target_system = 'billing'"
                + " AND inbox_id IN (" + marks(renamed) + ") ORDER BY id", renamed.toArray())) {
            assertThat(applied.put(((Number) row.get("inbox_id")).longValue(), row.get("action"))).as("applied twice: %s", row).isNull();
        }
        assertThat(applied).containsOnlyKeys(renamed).containsEntry(renamed.get(4), "created");
        assertThat(applied.values()).filteredOn("updated"::equals).hasSize(4);
        assertThat(TestDatabase.query("SELECT id FROM dead_letter WHERE inbox_id IN (" + marks(renamed) + ")", renamed.toArray()))
                .isEmpty();

        // Decided once: deciding again is refused, by the API and by the console, and the overview no longer lists it.
        admin().when().post("/admin/schema-drifts/" + driftId + "/resume").then().statusCode(409)
                .body("error", org.hamcrest.Matchers.equalTo("conflict"));
        given().cookie("syncline-console", session).redirects().follow(false).when()
                .post("/console/schema-drifts/" + driftId + "/accept").then().statusCode(409);
        assertThat(console(session)).doesNotContain("id=\"drift-" + driftId + "\"");

        // From now on the renamed field is read as it comes, with no pause.
        assertThat(TestDatabase.awaitSettledOn(TestDatabase.url(), post(subscriber(bob, "v3." + bob + "@example.com", "mobile",
                "+4420794699" + RUN.substring(0, 2))))).isEqualTo("done");
        assertThat(TestDatabase.query("SELECT phone FROM drift_billing_subscriber WHERE id = ?", bob))
                .containsExactly(Map.of("phone", "+4420794699" + RUN.substring(0, 2)));
        assertThat(subscriberDrifts()).singleElement().satisfies(d -> assertThat(d).containsEntry("status", "renamed")
                .containsEntry("waiting", 0));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> given().when().get("/q/metrics")
                .then().statusCode(200).extract().asString().lines().anyMatch(line -> line.equals("syncline_mappings_paused 0.0")));
    }

    @Test
    @Order(2)
    void aFieldDroppedWithoutAReplacementWaitsUntilResumedThenItsPolicyDecides() {
        String eve = "eve-" + RUN;
        assertThat(TestDatabase.awaitSettledOn(TestDatabase.url(),
                post(subscriber(eve, eve + "@example.com", "phone", "+4420794610" + RUN.substring(0, 2))))).isEqualTo("done");

        long dropped = post(subscriber(eve, "v2." + eve + "@example.com"));

        Map<String, Object> drift = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> subscriberDrifts().stream().filter(d -> "paused".equals(d.get("status"))).findFirst().orElse(null),
                        d -> d != null && ((Number) d.get("waiting")).intValue() == 1);
        long driftId = ((Number) drift.get("id")).longValue();
        assertThat(drift).containsEntry("field", "phone").containsEntry("change", "missing");
        @SuppressWarnings("unchecked")
        Map<String, Object> proposal = (Map<String, Object>) drift.get("proposal");
        assertThat(proposal).containsEntry("renameTo", null).containsEntry("compared", 1).containsEntry("candidates", List.of());

        // Nothing to rename to: accepting is refused; resuming lets the model decide, whose policy for a missing phone is reject.
        admin().when().post("/admin/schema-drifts/" + driftId + "/accept").then().statusCode(409)
                .body("error", org.hamcrest.Matchers.equalTo("conflict"));
        admin().when().post("/admin/schema-drifts/" + driftId + "/resume").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("resumed"))
                .body("resolvedBy", org.hamcrest.Matchers.equalTo("admin"));
        assertThat(TestDatabase.awaitSettledOn(TestDatabase.url(), dropped)).isEqualTo("dead");
        assertThat((String) TestDatabase.awaitRows("SELECT reason FROM dead_letter WHERE inbox_id = ?", dropped).get(0).get("reason"))
                .contains("phone");
        assertThat(TestDatabase.query("SELECT email FROM drift_billing_subscriber WHERE id = ?", eve))
                .containsExactly(Map.of("email", eve + "@example.com"));
    }

    /** The readiness details of the inbox's backlog check. */
    private static Map<String, Object> backlog() {
        JsonPath health = given().when().get("/q/health/ready").then().extract().jsonPath();
        return health.getMap("checks.find { it.name == 'syncline-inbox-backlog' }.data");
    }

    private static boolean metric(String line) {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString().lines().anyMatch(line::equals);
    }

    /** Last: the phone arrives as a number from then on, which the earlier tests would take for a drift. */
    @Test
    @Order(3)
    void aRequiredFieldThatChangesTypePausesTheMappingWithoutAlarmingTheBacklogAndResumingAppliesWhatWaitedOnce() {
        String fay = "fay-" + RUN;
        String gus = "gus-" + RUN;
        assertThat(TestDatabase.awaitSettledOn(TestDatabase.url(),
                post(subscriber(fay, fay + "@example.com", "phone", "+4420794620" + RUN.substring(0, 2))))).isEqualTo("done");

        // The CRM starts sending phone as a number: fay's change, gus's first, and fay's next behind her first.
        List<Long> retyped = new ArrayList<>();
        for (String[] change : List.of(new String[]{fay, "v2."}, new String[]{gus, ""}, new String[]{fay, "v3."})) {
            Map<String, Object> subscriber = subscriber(change[0], change[1] + change[0] + "@example.com");
            subscriber.put("phone", 442079462100L + retyped.size());
            retyped.add(post(subscriber));
        }

        Map<String, Object> drift = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> subscriberDrifts().stream().filter(d -> "paused".equals(d.get("status"))).findFirst().orElse(null),
                        d -> d != null && ((Number) d.get("waiting")).intValue() == retyped.size());
        assertThat(drift).containsEntry("field", "phone").containsEntry("change", "type").containsEntry("wasType", "string")
                .containsEntry("nowType", "number");
        long driftId = ((Number) drift.get("id")).longValue();
        assertThat(TestDatabase.query("SELECT status FROM inbox WHERE id IN (" + marks(retyped) + ")", retyped.toArray()))
                .extracting(event -> event.get("status")).containsOnly("pending");
        assertThat(TestDatabase.query("SELECT id FROM dead_letter WHERE inbox_id IN (" + marks(retyped) + ")", retyped.toArray()))
                .isEmpty();
        assertThat(TestDatabase.query("SELECT id FROM review_item WHERE entity = 'subscriber' AND source_id IN (?, ?)", fay, gus))
                .isEmpty();

        // Waiting for a decision is no backlog: even once they are two hours old, the paused events are
        // counted apart and leave the backlog ok and the oldest-waiting age without them.
        TestDatabase.update("UPDATE inbox SET received_at = received_at - INTERVAL '2 hours' WHERE id IN (" + marks(retyped) + ")",
                retyped.toArray());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> metric("syncline_inbox_paused " + retyped.size() + ".0")
                        && Integer.valueOf(retyped.size()).equals(backlog().get("pausedBySchemaDrift")));
        assertThat(backlog()).containsEntry("backlog", "ok");
        assertThat(((Number) backlog().get("oldestWaitingSeconds")).longValue()).isLessThan(3600);

        // Resuming takes the number as what the CRM sends now: every waiting event is applied, once, in order.
        admin().when().post("/admin/schema-drifts/" + driftId + "/resume").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("resumed"));
        for (long id : retyped) {
            assertThat(TestDatabase.awaitSettledOn(TestDatabase.url(), id)).isEqualTo("done");
        }
        assertThat(TestDatabase.query("SELECT id, email, phone FROM drift_billing_subscriber WHERE id IN (?, ?) ORDER BY id", fay, gus))
                .containsExactly(Map.of("id", fay, "email", "v3." + fay + "@example.com", "phone", "442079462102"),
                        Map.of("id", gus, "email", gus + "@example.com", "phone", "442079462101"));
        List<Object> applied = TestDatabase.query("SELECT inbox_id FROM audit_log WHERE target_system = 'billing' AND inbox_id IN ("
                + marks(retyped) + ") ORDER BY id", retyped.toArray()).stream().map(row -> (Object) ((Number) row.get("inbox_id")).longValue())
                .toList();
        assertThat(applied).containsExactlyElementsOf(retyped);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> metric("syncline_inbox_paused 0.0"));
    }
}
