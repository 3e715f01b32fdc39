package io.syncline.connector.bamboohr;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.testsupport.ApiDescription;
import io.syncline.testsupport.BambooHrStub;
import io.syncline.testsupport.DeadLetters;
import io.syncline.testsupport.FastRetriesProfile;
import io.syncline.testsupport.HrStubResource;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * BambooHR employees through {@code type: bamboohr} (the preset, and the bamboohr plug-in's creates, reads
 * and fetches), against a stub of BambooHR's API, with the state store on PostgreSQL: the HR system's hires
 * reach BambooHR as employees (created, the id taken from the answer's {@code Location}, then updated), with
 * the API key as the Basic user; a hire's SSN, marked sensitive, written to BambooHR in clear and kept by
 * Syncline in none of its rows; BambooHR's 429 waited out as its {@code Retry-After} says; its
 * {@code X-BambooHR-Error-Message} a dead letter's reason; every employee pulled by {@code _links.next};
 * BambooHR's signed webhook events fetched and taken into the HR system's table, and refused when the
 * signature or its timestamp is wrong. Every request BambooHR received is checked against the whole of
 * BambooHR's published OpenAPI description, committed in this repository.
 */
@QuarkusTest
@TestProfile(FastRetriesProfile.class)
@WithTestResource(HrStubResource.class)
class BambooHrPresetTest {

    static final String DATABASE = HrStubResource.DATABASE_URL;
    static final ApiDescription DESCRIPTION = ApiDescription.published("bamboohr/public.yaml");

    /** The events of one employee BambooHR's webhook stored. */
    static final String STORED = "SELECT id FROM inbox WHERE source_system = 'bamboohr' AND record_key = ?";

    BambooHrStub bamboohr;

    @Inject
    SystemTypes types;

    @Inject
    SyncModelRegistry registry;

    /** Every request carried the API key as the Basic user, is an operation of BambooHR's published description, and follows it. */
    @AfterEach
    void everyRequestFollowsBambooHrsPublishedDescription() {
        String basic = "Basic " + Base64.getEncoder().encodeToString((HrStubResource.BAMBOOHR_API_KEY + ":x")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(DESCRIPTION.whole()).isTrue();
        assertThat(bamboohr.received()).allSatisfy(request -> assertThat(request.header("Authorization")).isEqualTo(basic))
                .allSatisfy(request -> assertThat(request.header("Accept")).isEqualTo("application/json"));
        assertThat(DESCRIPTION.violations(bamboohr.received())).as(DESCRIPTION.used()).isEmpty();
    }

    private static void hire(String id, String email, String lastName, String ssn) {
        Map<String, Object> body = Map.of("external_id", id, "email", email, "first_name", "Ada", "last_name", lastName, "ssn", ssn);
        given().contentType(ContentType.JSON).body(body).when().post("/webhooks/hr/hires").then().statusCode(202);
    }

    static String employeeId(String hireId) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT system_id FROM id_map WHERE entity = 'hire'"
                + " AND system = 'bamboohr' AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'hire'"
                + " AND system = 'hr' AND system_id = ?)", hireId).get(0).get("system_id");
    }

    static String lastStatus(String id) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT status FROM inbox WHERE record_key = ? AND entity = 'hire'"
                + " AND status IN ('done', 'held', 'dead') ORDER BY id DESC", id).get(0).get("status");
    }

    static String run() {
        return "bh" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aHireIsCreatedThenUpdatedItsSsnWrittenToBambooHrAndKeptInNoRowOfSyncline() {
        String id = run();
        String email = id + "@example.com";
        String ssn = "078-05-" + (1000 + (int) (Math.random() * 8999));

        hire(id, email, "Lovelace", ssn);
        String employee = employeeId(id);
        assertThat(bamboohr.employee(employee)).containsEntry("workEmail", email).containsEntry("firstName", "Ada")
                .containsEntry("lastName", "Lovelace").containsEntry("ssn", ssn);
        assertThat(bamboohr.received("POST", BambooHrStub.EMPLOYEES)).anySatisfy(create -> assertThat(create.json())
                .isEqualTo(Map.of("workEmail", email, "firstName", "Ada", "lastName", "Lovelace", "ssn", ssn)));

        hire(id, email, "King", ssn);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "King".equals(bamboohr.employee(employee).get("lastName")));
        assertThat(bamboohr.received("POST", BambooHrStub.EMPLOYEES + "/" + employee)).isNotEmpty();
        assertThat(lastStatus(id)).isEqualTo("done");

        // the SSN syncs in clear, but the inbox holds it encrypted and the state and audit as a digest
        for (String table : List.of("inbox", "record_state", "audit_log", "dead_letter")) {
            assertThat(TestDatabase.queryOn(DATABASE, "SELECT 1 FROM " + table + " t WHERE t::text LIKE ?", "%" + ssn + "%"))
                    .as("rows of %s holding the SSN", table).isEmpty();
        }
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT 1 FROM inbox t WHERE t.record_key = ? AND t.payload LIKE ?", id, "%$enc%"))
                .isNotEmpty();
    }

    @Test
    void bambooHrsRateLimitIsWaitedOutAsItsRetryAfterSaysAndTheWriteSentAgain() {
        String id = run();
        int before = bamboohr.received().size();
        bamboohr.rateLimitNext(1);

        hire(id, id + "@example.com", "Limited", "078-05-0001");
        assertThat(bamboohr.employee(employeeId(id))).containsEntry("lastName", "Limited");
        assertThat(lastStatus(id)).isEqualTo("done");

        List<HubSpotStub.Received> calls = bamboohr.received().subList(before, bamboohr.received().size());
        assertThat(calls).hasSizeGreaterThan(1);
        assertThat(Duration.between(calls.get(0).at(), calls.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void bambooHrsErrorHeaderIsADeadLettersReason() {
        String id = run();
        String email = id + "@example.com";
        bamboohr.add(Map.of("firstName", "Taken", "lastName", "Already", "workEmail", email));

        hire(id, email, "Refused", "078-05-0002");
        assertThat(lastStatus(id)).isEqualTo("dead");
        DeadLetters.assertRefusedOnce(DATABASE, "\"external_id\":\"" + id + "\"", "bamboohr rejected POST /api/v1/employees: 409"
                + " Duplicate email address: " + email);
    }

    @Test
    void aPullReadsEveryPageByItsNextLink() throws Exception {
        String run = run();
        IntStream.range(0, 230).forEach(i -> bamboohr.add(Map.of("firstName", "Page", "lastName", run + "-" + i)));
        int before = bamboohr.received().size();
        var model = registry.current().model();
        List<Map<String, Object>> records = new ArrayList<>();

        PullResult result = types.of("bamboohr").puller().pull(new PullRequest("staff", "bamboohr", model.systems().get("bamboohr"),
                model.entities().get("staff").mappings().get("bamboohr"), 100), records::addAll);

        assertThat(result.reachedEnd()).as(String.valueOf(result.problem())).isTrue();
        // each listed employee read with its employeeId as its id, as one employee is read
        assertThat(records.stream().filter(record -> String.valueOf(record.get("lastName")).startsWith(run))).hasSize(230)
                .allSatisfy(record -> assertThat(record.get("id")).isEqualTo(record.get("employeeId")));
        List<HubSpotStub.Received> pages = bamboohr.received().subList(before, bamboohr.received().size());
        assertThat(pages).allSatisfy(page -> assertThat(page.method() + " " + page.path()).isEqualTo("GET " + BambooHrStub.EMPLOYEES))
                .allSatisfy(page -> assertThat(page.query()).contains("page%5Blimit%5D=100"));
        assertThat(pages.subList(1, pages.size())).allSatisfy(page -> assertThat(page.query()).contains("page%5Bafter%5D="));
        // the last page has no next link; no request follows it
        assertThat(pages).hasSize((int) Math.ceil(records.size() / 100.0));
    }

    private static Response deliver(String body, String signature, String timestamp) {
        return given().contentType(ContentType.JSON).header("X-BambooHR-Signature", signature)
                .header("X-BambooHR-Timestamp", timestamp).body(body).when().post("/webhooks/bamboohr/employees");
    }

    @Test
    void signedWebhookEventsAreFetchedAndTakenAndOnesWithABadSignatureOrTimestampRefused() {
        String run = run();
        String id = bamboohr.add(Map.of("firstName", "Grace", "lastName", "Hopper", "workEmail", run + "@example.com"));
        String created = BambooHrStub.event("employee.created", id, List.of());
        String key = HrStubResource.BAMBOOHR_WEBHOOK_KEY;
        String now = Long.toString(Instant.now().getEpochSecond());
        String old = Long.toString(Instant.now().minusSeconds(3600).getEpochSecond());

        assertThat(deliver(created, BambooHrStub.sign("not-the-key", created, now), now).statusCode()).isEqualTo(401);
        assertThat(deliver(created, BambooHrStub.sign(key, created, now), old).statusCode()).as("another timestamp").isEqualTo(401);
        assertThat(deliver(created, BambooHrStub.sign(key, created, old), old).statusCode()).as("an hour old").isEqualTo(401);
        assertThat(TestDatabase.queryOn(DATABASE, STORED, id)).isEmpty();

        assertThat(deliver(created, BambooHrStub.sign(key, created, now), now).statusCode()).isEqualTo(202);
        assertThat(TestDatabase.awaitRowsOn(DATABASE, "SELECT email, last_name FROM hr_bamboohr_employee WHERE external_id = ?", id))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("email", run + "@example.com")
                        .containsEntry("last_name", "Hopper"));
        // the employee is fetched with the fields the mapping reads
        assertThat(bamboohr.received("GET", BambooHrStub.EMPLOYEES + "/" + id)).isNotEmpty()
                .allSatisfy(fetch -> assertThat(fetch.query()).contains("fields=workEmail%2CfirstName%2ClastName"));

        bamboohr.employee(id).put("lastName", "Hopper-King");
        String updated = BambooHrStub.event("employee.updated", id, List.of("lastName"));
        String later = Long.toString(Instant.now().getEpochSecond());
        assertThat(deliver(updated, BambooHrStub.sign(key, updated, later), later).statusCode()).isEqualTo(202);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "Hopper-King".equals(TestDatabase.queryOn(DATABASE,
                "SELECT last_name FROM hr_bamboohr_employee WHERE external_id = ?", id).get(0).get("last_name")));

        // a retry of a delivery is the same event: it is not stored again
        assertThat(TestDatabase.queryOn(DATABASE, STORED, id)).hasSize(2);
        assertThat(deliver(updated, BambooHrStub.sign(key, updated, later), later).statusCode()).isBetween(200, 299);
        assertThat(TestDatabase.queryOn(DATABASE, STORED, id)).hasSize(2);
    }
}
