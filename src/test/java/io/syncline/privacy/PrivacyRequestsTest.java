package io.syncline.privacy;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.HubSpotStubResource;
import io.syncline.testsupport.MariaDbTargetResource;
import io.syncline.testsupport.MariaDbTestDatabase;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Privacy requests across three systems (src/test/resources/privacy-routes): a person in a REST
 * CRM (the HubSpot stub), billing's PostgreSQL table and an ERP's MariaDB table, synced there by
 * the CRM's webhook. One erasure request erases them in all three through each system's write
 * path and leaves none of their values in any text column of Syncline's state store; a late
 * webhook and a reconciliation auto-fix of the person are refused and audited; a CRM outage
 * keeps its part pending until the CRM answers again; a subject-access export lists the person's
 * records in the three systems and Syncline's own rows.
 */
@QuarkusTest
@TestProfile(PrivacyRequestsTest.QuickErasure.class)
@WithTestResource(value = HubSpotStubResource.class,
        initArgs = @ResourceArg(name = HubSpotStubResource.FOLDER, value = "privacy-routes"))
@WithTestResource(MariaDbTargetResource.class)
class PrivacyRequestsTest {

    private static final String WEBHOOK = "/webhooks/crm/contacts";
    private static final String DATABASE = HubSpotStubResource.databaseOf("privacy-routes");

    /** Erasure parts retried within a second; tombstones reloaded every 200 ms. */
    public static class QuickErasure implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("syncline.privacy.tombstone-refresh", "200ms", "syncline.privacy.erasure-interval", "200ms",
                    "syncline.inbox.retry-delay", "200ms", "syncline.inbox.max-retry-delay", "1s");
        }
    }

    HubSpotStub hubspot;

    /** A person created in the CRM, then posted to its webhook and synced to billing and the ERP. */
    private record Person(String crmId, String email, String firstName, String lastName, String phone) {

        List<String> values() {
            return List.of(email, firstName, lastName, phone);
        }
    }

    private Person syncedPerson() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String email = "ada." + tag + "@example.com";
        String digits = String.format("%04d", Math.abs(tag.hashCode()) % 10_000);
        Person person = new Person(null, email, "Ada" + tag, "Lovelace" + tag, "+44207946" + digits);
        String crmId = hubspot.add(Map.of("email", email, "firstname", person.firstName(), "lastname", person.lastName(),
                "phone", "020 7946 " + digits, "company", "Engines " + tag));
        person = new Person(crmId, email, person.firstName(), person.lastName(), person.phone());
        long inboxId = postWebhook(person);
        assertThat(finalStatus(inboxId)).isEqualTo("done");
        assertThat(billingRows(person)).hasSize(1);
        assertThat(erpRows(person)).hasSize(1);
        return person;
    }

    private long postWebhook(Person person) {
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("id", person.crmId());
        contact.put("properties", Map.of("email", " " + person.email().toUpperCase() + " ", "firstname", person.firstName(),
                "lastname", person.lastName(), "phone", "020 7946 " + person.phone().substring(9),
                "company", "Engines"));
        Integer id = given().contentType(ContentType.JSON).body(contact).when().post(WEBHOOK)
                .then().statusCode(202).extract().path("inboxId");
        return id.longValue();
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    private static long request(String kind, Map<String, Object> subject) {
        Map<String, Object> body = new LinkedHashMap<>(subject);
        body.put("kind", kind);
        Integer id = admin().contentType(ContentType.JSON).body(body).when().post("/admin/privacy-requests")
                .then().statusCode(201).body("kind", equalTo(kind)).extract().path("id");
        return id.longValue();
    }

    private static Map<String, Object> show(long id) {
        return admin().when().get("/admin/privacy-requests/" + id).then().statusCode(200).extract().jsonPath().getMap("");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> partsBySystem(long id) {
        Map<String, Map<String, Object>> parts = new LinkedHashMap<>();
        ((List<Map<String, Object>>) show(id).get("parts")).forEach(part -> parts.put((String) part.get("system"), part));
        return parts;
    }

    private static String awaitStatus(long id, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> status.equals(show(id).get("status")));
        return status;
    }

    private static List<Map<String, Object>> query(String sql, Object... parameters) {
        return TestDatabase.queryOn(DATABASE, sql, parameters);
    }

    private static String finalStatus(long inboxId) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT status FROM inbox WHERE id = ? AND status IN"
                + " ('done', 'held', 'dead', 'refused')", inboxId).get(0).get("status");
    }

    private static List<Map<String, Object>> billingRows(Person person) {
        return query("SELECT * FROM demo_contact WHERE email = ?", person.email());
    }

    private static List<Map<String, Object>> erpRows(Person person) {
        return MariaDbTestDatabase.query("SELECT * FROM " + MariaDbTargetResource.TABLE + " WHERE email = ?", person.email());
    }

    /** The text and JSON columns of the state store's tables (Quartz's aside), by table. */
    private static Map<String, List<String>> textColumns() {
        Map<String, List<String>> columnsByTable = new LinkedHashMap<>();
        for (Map<String, Object> column : query("SELECT table_name, column_name FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'json', 'jsonb')"
                + " AND table_name NOT LIKE 'qrtz%' ORDER BY table_name, column_name")) {
            columnsByTable.computeIfAbsent((String) column.get("table_name"), table -> new ArrayList<>())
                    .add((String) column.get("column_name"));
        }
        return columnsByTable;
    }

    private static List<String> patterns(List<String> values) {
        return values.stream().map(value -> "%" + value.toLowerCase() + "%").toList();
    }

    /** The tables of the state store with a text or JSON column holding any of the values: one scan a table. */
    private static List<String> tablesHolding(List<String> values) {
        List<String> patterns = patterns(values);
        return textColumns().entrySet().stream().filter(table -> holds(table.getKey(), table.getValue(), patterns))
                .map(Map.Entry::getKey).toList();
    }

    /** Every text and JSON column of every table of the state store (Quartz's aside) holding any of the values. */
    private static List<String> columnsHolding(List<String> values) {
        Map<String, List<String>> columnsByTable = textColumns();
        List<String> patterns = patterns(values);
        List<String> found = new ArrayList<>();
        // column by column only in the tables where one scan found a value
        for (String table : tablesHolding(values)) {
            for (String column : columnsByTable.get(table)) {
                for (int i = 0; i < values.size(); i++) {
                    if (holds(table, List.of(column), List.of(patterns.get(i)))) {
                        found.add(table + "." + column + " holds " + values.get(i));
                    }
                }
            }
        }
        return found;
    }

    private static boolean holds(String table, List<String> columns, List<String> patterns) {
        List<String> tests = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        for (String column : columns) {
            for (String pattern : patterns) {
                tests.add("LOWER(CAST(" + column + " AS TEXT)) LIKE ?");
                parameters.add(pattern);
            }
        }
        return !query("SELECT 1 FROM " + table + " WHERE " + String.join(" OR ", tests) + " LIMIT 1", parameters.toArray())
                .isEmpty();
    }

    @Test
    void personIsErasedInAllThreeSystemsAndNoValueStaysInTheStateStore() {
        Person person = syncedPerson();
        // A rejected event of theirs (a dead letter) and the values synced: Syncline holds them in several tables.
        long rejected = postWebhook(new Person(person.crmId(), "not-an-email", person.firstName(), person.lastName(),
                person.phone()));
        assertThat(finalStatus(rejected)).isEqualTo("dead");
        // A review item of theirs, waiting for a person: the erasure discards it through the review queue's store.
        long held = ((Number) query("INSERT INTO review_item (kind, entity, source_system, source_id, reason, payload,"
                + " target_system) VALUES ('held_record', 'contact', 'crm', ?, ?, ?, 'billing') RETURNING id", person.crmId(),
                "required field phone of " + person.lastName() + " is missing",
                "{\"fields\":{\"lastName\":\"" + person.lastName() + "\"}}").get(0).get("id")).longValue();
        assertThat(tablesHolding(person.values())).isNotEmpty();

        long id = request("erasure", Map.of("entity", "contact", "system", "crm", "id", person.crmId()));
        Map<String, Map<String, Object>> plan = partsBySystem(id);
        assertThat(show(id)).containsEntry("status", "planned");
        assertThat(plan.keySet()).containsExactlyInAnyOrder("crm", "billing", "erp");
        assertThat(plan.get("crm")).containsEntry("mode", "anonymise").containsEntry("systemId", person.crmId());
        assertThat(plan.get("billing")).containsEntry("mode", "hard").containsEntry("status", "planned");
        assertThat(plan.get("erp")).containsEntry("mode", "hard");
        assertThat(billingRows(person)).hasSize(1);

        admin().when().post("/admin/privacy-requests/" + id + "/confirm").then().statusCode(200)
                .body("status", equalTo("erasing"));
        awaitStatus(id, "completed");

        assertThat(billingRows(person)).isEmpty();
        assertThat(erpRows(person)).isEmpty();
        assertThat(hubspot.contact(person.crmId())).containsEntry("email", null).containsEntry("firstname", null)
                .containsEntry("lastname", null).containsEntry("phone", null);
        assertThat(partsBySystem(id).values()).allSatisfy(part -> assertThat(part)
                .containsEntry("status", "done").containsEntry("systemId", null));
        assertThat(columnsHolding(person.values())).isEmpty();
        // Scrubbed on confirmation and again on completion: the second pass left the entries the first reduced
        // as they were (their field names), and the request counts the rows both changed.
        assertThat(query("SELECT CAST(diff AS TEXT) AS diff FROM audit_log WHERE action = 'created' AND source_system = 'crm'"
                + " AND source_id = ?", person.crmId())).isNotEmpty().allSatisfy(row -> assertThat(row.get("diff").toString())
                        .startsWith("{\"retained\":\"erased\",\"request\":" + id + ",\"fields\":[").contains("\"email\"")
                        .doesNotContain("\"retained\",\"request\""));
        @SuppressWarnings("unchecked")
        Map<String, Object> scrubbed = (Map<String, Object>) show(id).get("scrubbed");
        assertThat(scrubbed).containsEntry("inbox", 2).containsEntry("dead_letter", 1).containsEntry("review_item", 1);
        assertThat((Integer) scrubbed.get("record_state")).isPositive();
        assertThat(query("SELECT status, resolved_by, reason FROM review_item WHERE id = ?", held)).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("status", "discarded")
                        .containsEntry("resolved_by", "privacy request " + id).containsEntry("reason", "erased by privacy request " + id));
        // The proof: one audit entry per system, naming the request, with no value.
        assertThat(query("SELECT target_system FROM audit_log WHERE action = 'erased' AND run_id = ? ORDER BY target_system",
                "privacy-" + id)).extracting(row -> row.get("target_system")).containsExactly("billing", "crm", "erp");
        admin().when().post("/admin/privacy-requests/" + id + "/confirm").then().statusCode(409);
    }

    @Test
    void lateWebhookAndReconciliationFixOfAnErasedPersonAreRefusedAndAudited() {
        Person person = syncedPerson();
        long id = request("erasure", Map.of("entity", "contact", "field", "email", "value", person.email()));
        assertThat(partsBySystem(id).keySet()).containsExactlyInAnyOrder("crm", "billing", "erp");
        admin().when().post("/admin/privacy-requests/" + id + "/confirm").then().statusCode(200);
        awaitStatus(id, "completed");

        // A late webhook of the erased CRM record: refused, kept without its payload, audited.
        long late = postWebhook(person);
        assertThat(finalStatus(late)).isEqualTo("refused");
        assertThat(query("SELECT payload FROM inbox WHERE id = ?", late).get(0).get("payload").toString())
                .doesNotContain(person.email());
        assertThat(query("SELECT detail FROM audit_log WHERE inbox_id = ? AND action = 'refused'", late)).singleElement()
                .satisfies(row -> assertThat(row.get("detail").toString()).contains("privacy request " + id));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("syncline_events_total{outcome=\"refused\",route=\"crm-contact-webhook\"}"));

        // Someone types the person into the CRM again: reconciliation finds the record only there, and its auto-fix is refused.
        hubspot.add(Map.of("email", person.email(), "firstname", person.firstName(), "lastname", person.lastName()));
        Integer run = admin().when().post("/admin/reconciliations/contacts-crm-billing/runs").then().statusCode(200)
                .extract().path("id");
        assertThat(query("SELECT action FROM reconciliation_difference WHERE run_id = ? AND bucket = 'only_in_a'", run.longValue()))
                .extracting(row -> row.get("action")).contains("refused");
        assertThat(query("SELECT 1 FROM audit_log WHERE action = 'refused' AND run_id = 'reconcile:contacts-crm-billing'"))
                .isNotEmpty();
        assertThat(billingRows(person)).isEmpty();
        assertThat(erpRows(person)).isEmpty();
        assertThat(columnsHolding(List.of(person.lastName()))).isEmpty();

        // Re-consent lifts the tombstones: the person may be synced again.
        admin().contentType(ContentType.JSON).body(Map.of("entity", "contact", "field", "email", "value", person.email()))
                .when().post("/admin/privacy-requests/reconsent").then().statusCode(200);
        long again = postWebhook(person);
        assertThat(finalStatus(again)).isEqualTo("done");
        assertThat(billingRows(person)).hasSize(1);
    }

    @Test
    void partOfASystemThatIsDownStaysPendingThenCompletesWhenItReturns() {
        Person person = syncedPerson();
        long id = request("erasure", Map.of("entity", "contact", "system", "crm", "id", person.crmId()));
        hubspot.down(true);
        try {
            admin().when().post("/admin/privacy-requests/" + id + "/confirm").then().statusCode(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Map<String, Map<String, Object>> parts = partsBySystem(id);
                return "done".equals(parts.get("billing").get("status")) && "done".equals(parts.get("erp").get("status"))
                        && ((Number) parts.get("crm").get("attempts")).intValue() >= 2;
            });
            Map<String, Object> crm = partsBySystem(id).get("crm");
            assertThat(crm).containsEntry("status", "pending");
            assertThat(crm.get("lastError").toString()).contains("503");
            assertThat(show(id)).containsEntry("status", "erasing");
        } finally {
            hubspot.down(false);
        }
        awaitStatus(id, "completed");
        assertThat(hubspot.contact(person.crmId())).containsEntry("email", null);
        assertThat(partsBySystem(id).get("crm")).containsEntry("status", "done");
    }

    @Test
    void partASystemRefusesFailsWithADeadLetterUntilTheRequestIsRetried() {
        Person person = syncedPerson();
        long id = request("erasure", Map.of("entity", "contact", "system", "crm", "id", person.crmId()));
        // The CRM's next answer, to the erasure's PATCH, refuses it for good.
        hubspot.failNext(400);
        admin().when().post("/admin/privacy-requests/" + id + "/confirm").then().statusCode(200);
        awaitStatus(id, "failed");

        Map<String, Object> crm = partsBySystem(id).get("crm");
        assertThat(crm).containsEntry("status", "failed").containsEntry("attempts", 1);
        assertThat(partsBySystem(id).get("billing")).containsEntry("status", "done");
        assertThat(query("SELECT reason FROM dead_letter WHERE route_id = 'privacy-erasure' AND payload LIKE ?",
                "%\"privacyRequest\":" + id + ",%")).singleElement()
                .satisfies(row -> assertThat(row.get("reason").toString()).contains("400"));
        assertThat(hubspot.contact(person.crmId())).containsEntry("email", person.email());

        admin().when().post("/admin/privacy-requests/" + id + "/retry").then().statusCode(200).body("status", equalTo("erasing"));
        awaitStatus(id, "completed");
        assertThat(hubspot.contact(person.crmId())).containsEntry("email", null);
        admin().when().post("/admin/privacy-requests/" + id + "/retry").then().statusCode(409);
    }

    @Test
    @SuppressWarnings("unchecked")
    void subjectAccessExportListsThePersonsRecordsInAllThreeSystemsAndSynclinesRows() {
        Person person = syncedPerson();
        long id = request("access", Map.of("entity", "contact", "field", "email", "value", person.email()));
        assertThat(show(id)).containsEntry("status", "ready");

        Map<String, Object> export = admin().when().get("/admin/privacy-requests/" + id + "/export").then().statusCode(200)
                .extract().jsonPath().getMap("");
        List<Map<String, Object>> systems = (List<Map<String, Object>>) export.get("systems");
        assertThat(systems).extracting(system -> system.get("system")).containsExactlyInAnyOrder("crm", "billing", "erp");
        for (Map<String, Object> system : systems) {
            assertThat(system.get("record").toString()).contains(person.email()).contains(person.lastName());
        }
        Map<String, Object> own = (Map<String, Object>) export.get("syncline");
        assertThat((List<?>) own.get("idMap")).hasSize(3);
        assertThat((List<?>) own.get("record_state")).isNotEmpty();
        assertThat((List<?>) own.get("inbox")).isNotEmpty();
        assertThat((List<?>) own.get("audit_log")).isNotEmpty();
        assertThat(own.get("inbox").toString()).contains(person.lastName());
        admin().when().get("/admin/privacy-requests/" + id + "/export").then().statusCode(200);
    }

    @Test
    void badRequestsAreAnsweredWithAReason() {
        admin().contentType(ContentType.JSON).body(Map.of("kind", "erasure", "entity", "contact", "field", "firstName",
                "value", "Ada")).when().post("/admin/privacy-requests").then().statusCode(400)
                .body("message", org.hamcrest.Matchers.containsString("not a match key"));
        admin().contentType(ContentType.JSON).body(Map.of("kind", "forget", "entity", "contact", "system", "crm", "id", "1"))
                .when().post("/admin/privacy-requests").then().statusCode(400);
        admin().contentType(ContentType.JSON).body(Map.of("kind", "erasure", "entity", "contact", "system", "nowhere", "id", "1"))
                .when().post("/admin/privacy-requests").then().statusCode(400);
        admin().contentType(ContentType.JSON).body("[1]").when().post("/admin/privacy-requests").then().statusCode(400)
                .body("error", equalTo("bad_request")).body("message", org.hamcrest.Matchers.containsString("not a JSON object"));
        admin().contentType(ContentType.JSON).body("{\"entity\": \"contact\"}").when().post("/admin/privacy-requests/reconsent")
                .then().statusCode(400).body("error", equalTo("bad_request"));
        admin().when().get("/admin/privacy-requests/999999").then().statusCode(404);
        admin().when().get("/admin/privacy-requests?limit=lots").then().statusCode(400).body("field", equalTo("limit"));
        given().contentType(ContentType.JSON).body(Map.of("kind", "access", "entity", "contact", "system", "crm", "id", "1"))
                .when().post("/admin/privacy-requests").then().statusCode(401);
    }
}
