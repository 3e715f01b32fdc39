package io.syncline.connector.pipedrive;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.testsupport.ApiDescription;
import io.syncline.testsupport.LinkedRecords;
import io.syncline.testsupport.PipedriveStub;
import io.syncline.testsupport.PipedriveStubResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Billing's customers (PostgreSQL) and a Pipedrive company's persons through {@code type: pipedrive}
 * (the preset, and the pipedrive plug-in), both ways, against a stub of Pipedrive's API v2
 * (src/test/resources/pipedrive-preset-routes): a customer made in billing is created in Pipedrive
 * with its e-mail as the primary entry of {@code emails}, the new id read from {@code data}; one
 * whose e-mail Pipedrive has is linked by Pipedrive's search; a change in Pipedrive arrives by a
 * webhook v2 with the subscription's Basic credentials, fetched, and a webhook without them is
 * refused; a repeated webhook is stored once; a 429 is waited out; Pipedrive's error is a dead
 * letter's reason; a pull reads every page. Every request is checked against Pipedrive's published
 * OpenAPI description of API v2.
 */
@QuarkusTest
@WithTestResource(value = PipedriveStubResource.class, initArgs = {
        @ResourceArg(name = PipedriveStubResource.ROUTES, value = "src/test/resources/pipedrive-preset-routes"),
        @ResourceArg(name = PipedriveStubResource.DATABASE, value = "_pipedrive_preset")})
class PipedrivePresetTest {

    private static final String DATABASE = TestDatabase.siblingUrl("_pipedrive_preset");
    private static final ApiDescription CONTRACT = ApiDescription.kept("pipedrive-persons-v2.json");
    private static final String CUSTOMER_FIELD = "d4de1c1518b4531717c676029a45911c340390a6";

    PipedriveStub pipedrive;

    @Inject
    SystemTypes types;

    @Inject
    SyncModelRegistry registry;

    @BeforeAll
    static void billing() throws Exception {
        try (Connection connection = TestDatabase.connect(DATABASE); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS pd_billing_customer (customer_no VARCHAR(64) PRIMARY KEY,"
                    + " name VARCHAR(200), email VARCHAR(200), phone VARCHAR(50), updated_at TIMESTAMP WITH TIME ZONE)");
        }
    }

    /** Every request sent to Pipedrive is one its published API description allows, with the API token. */
    @AfterEach
    void everyRequestFollowsPipedrivesContract() {
        assertThat(CONTRACT.violations(pipedrive.received())).isEmpty();
        assertThat(pipedrive.received()).allSatisfy(request -> assertThat(request.header("x-api-token")).isEqualTo(PipedriveStubResource.TOKEN));
    }

    private static void customer(String number, String name, String email) {
        TestDatabase.queryOn(DATABASE, "INSERT INTO pd_billing_customer (customer_no, name, email, phone, updated_at)"
                + " VALUES (?, ?, ?, '+44 20 7946 0000', now()) RETURNING customer_no", number, name, email);
    }

    private static List<Map<String, Object>> query(String sql, Object... parameters) {
        return TestDatabase.queryOn(DATABASE, sql, parameters);
    }

    private static long personIdOf(String customer) {
        return Long.parseLong((String) TestDatabase.awaitRowsOn(DATABASE, "SELECT system_id FROM id_map WHERE entity = 'person'"
                + " AND system = 'pipedrive' AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'person'"
                + " AND system = 'billing' AND system_id = ?)", customer).get(0).get("system_id"));
    }

    private static String webhook(long personId, String eventId) {
        return "{\"meta\":{\"action\":\"change\",\"entity\":\"person\",\"entity_id\":\"" + personId + "\",\"id\":\"" + eventId
                + "\",\"company_id\":\"8000001\",\"user_id\":\"123\",\"timestamp\":\"" + Instant.now() + "\",\"version\":\"2.0\","
                + "\"change_source\":\"app\",\"is_bulk_edit\":false,\"type\":\"general\"},"
                + "\"data\":{\"id\":" + personId + ",\"name\":\"(thin)\"},\"previous\":{\"name\":\"(before)\"}}";
    }

    private static io.restassured.response.Response postPipedrive(String body, String credentials) {
        return given().contentType(ContentType.JSON).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .body(body).when().post("/webhooks/pipedrive/persons");
    }

    @Test
    void aCustomerMadeInBillingIsCreatedWithItsEmailAsThePrimaryEntry() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        customer("P-" + run, "Ada " + run, "ada-" + run + "@example.com");

        long id = personIdOf("P-" + run);
        assertThat(pipedrive.person(id)).containsEntry("name", "Ada " + run)
                .containsEntry("emails", List.of(Map.of("value", "ada-" + run + "@example.com", "primary", true, "label", "work")))
                .containsEntry("phones", List.of(Map.of("value", "+44 20 7946 0000", "primary", true, "label", "work")))
                .containsEntry("custom_fields", Map.of(CUSTOMER_FIELD, "P-" + run));
    }

    @Test
    void aPersonPipedriveHasUnderTheEmailIsLinkedBySearchAndNotCreatedTwice() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        long existing = pipedrive.add("Grace " + run, "grace-" + run + "@example.com");

        customer("S-" + run, "Grace " + run, "grace-" + run + "@example.com");

        assertThat(personIdOf("S-" + run)).isEqualTo(existing);
        assertThat(pipedrive.withEmail("grace-" + run + "@example.com")).containsExactly(existing);
        assertThat(pipedrive.received("GET", PipedriveStub.PERSONS + "/search"))
                .anySatisfy(search -> assertThat(search.query()).isEqualTo("term=grace-" + run + "%40example.com&fields=email&exact_match=true"));
        assertThat(query("SELECT detail FROM audit_log WHERE target_system = 'pipedrive' AND target_id = ?", Long.toString(existing)))
                .anySatisfy(row -> assertThat((String) row.get("detail")).contains("matched by email (0.95)"));
    }

    @Test
    void aChangeInPipedriveArrivesByItsWebhookOnceAndIsFetched() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        customer("W-" + run, "Linus " + run, "linus-" + run + "@example.com");
        long id = personIdOf("W-" + run);
        pipedrive.edit(id, Map.of("name", "Linus Changed " + run));
        String eventId = UUID.randomUUID().toString();
        String body = webhook(id, eventId);

        postPipedrive(body, "syncline:guessed").then().statusCode(401);
        postPipedrive(body, PipedriveStubResource.WEBHOOK_CREDENTIALS).then().statusCode(202);
        postPipedrive(body, PipedriveStubResource.WEBHOOK_CREDENTIALS).then().statusCode(202);

        assertThat(query("SELECT count(*) AS n FROM inbox WHERE source_system = 'pipedrive' AND event_id = ?", eventId))
                .containsExactly(Map.of("n", 1L));
        await().atMost(Duration.ofSeconds(30)).until(() -> query("SELECT status FROM inbox WHERE source_system = 'pipedrive'"
                + " AND event_id = ? AND status IN ('done', 'dead')", eventId).size() == 1);
        assertThat(pipedrive.received("GET", PipedriveStub.PERSONS + "/" + id)).hasSize(1);
        assertThat(query("SELECT name FROM pd_billing_customer WHERE customer_no = ?", "W-" + run))
                .containsExactly(Map.of("name", "Linus Changed " + run));
    }

    @Test
    void pipedrivesBurstLimitIsWaitedOut() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        pipedrive.rateLimitNext(1, 1);
        customer("L-" + run, "Limited " + run, "limited-" + run + "@example.com");

        assertThat(pipedrive.person(personIdOf("L-" + run))).containsEntry("name", "Limited " + run);
    }

    @Test
    void pipedrivesErrorIsTheDeadLettersReason() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        customer("E-" + run, "", "nameless-" + run + "@example.com");

        Map<String, Object> dead = TestDatabase.awaitRowsOn(DATABASE, "SELECT reason FROM dead_letter WHERE payload LIKE ?",
                "%E-" + run + "%").get(0);
        assertThat((String) dead.get("reason")).contains("pipedrive rejected POST /api/v2/persons")
                .contains("Validation failed: name: Parameter 'name' is required");
    }

    @Test
    void aPullReadsEveryPageToTheEndWithTheEmailsRead() throws Exception {
        String run = "pull-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 230; i++) {
            pipedrive.add(run + " " + i, run + "-" + i + "@example.com");
        }
        var model = registry.current().model();
        List<Map<String, Object>> pulled = new ArrayList<>();

        PullResult result = types.of("pipedrive").puller().pull(new PullRequest("person", "pipedrive",
                model.systems().get("pipedrive"), model.entities().get("person").mappings().get("pipedrive"), 100), pulled::addAll);

        assertThat(result.reachedEnd()).isTrue();
        assertThat(pulled.stream().filter(person -> String.valueOf(person.get("name")).startsWith(run)))
                .hasSize(230).allSatisfy(person -> assertThat((String) person.get("email")).startsWith(run + "-"));
    }

    @Test
    void aContactsOrganizationIsWrittenAsPipedrivesOrgIdAndReadBack() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String first = Long.toString(pipedrive.addOrganization());
        String second = Long.toString(pipedrive.addOrganization());
        LinkedRecords.link(DATABASE, "organization", "crm", "org1-" + run, "pipedrive", first);
        LinkedRecords.link(DATABASE, "organization", "crm", "org2-" + run, "pipedrive", second);

        given().contentType(ContentType.JSON).body(Map.of("id", "m-" + run, "name", "Mary " + run, "orgId", "org1-" + run))
                .when().post("/webhooks/crm/members").then().statusCode(202);
        long id = Long.parseLong((String) TestDatabase.awaitRowsOn(DATABASE, "SELECT system_id FROM id_map WHERE entity = 'member'"
                + " AND system = 'pipedrive' AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'member'"
                + " AND system = 'crm' AND system_id = ?)", "m-" + run).get(0).get("system_id"));
        // the CRM's organization id written as Pipedrive's, a number as its API takes it
        assertThat(String.valueOf(pipedrive.person(id).get("org_id"))).isEqualTo(first);
        assertThat(pipedrive.received("POST", PipedriveStub.PERSONS)).anySatisfy(create -> assertThat(create.body())
                .contains("\"org_id\":" + first).contains("Mary " + run));

        given().contentType(ContentType.JSON).body(Map.of("id", "m-" + run, "name", "Mary " + run, "orgId", "org2-" + run))
                .when().post("/webhooks/crm/members").then().statusCode(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> second.equals(String.valueOf(pipedrive.person(id).get("org_id"))));

        Map<String, Object> fetched = types.of("pipedrive").fetch("member", "pipedrive", Long.toString(id)).orElseThrow();
        assertThat(registry.current().transformer().toCanonicalUnhashed("member", "pipedrive", fetched).fields())
                .containsEntry("organization", Long.parseLong(second));
    }
}
