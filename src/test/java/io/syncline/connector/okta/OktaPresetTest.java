package io.syncline.connector.okta;

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
import io.syncline.testsupport.DeadLetters;
import io.syncline.testsupport.FastRetriesProfile;
import io.syncline.testsupport.HrStubResource;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.OktaStub;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Okta users through {@code type: okta} (the preset, and the okta plug-in's creates and deletes), against a
 * stub of Okta's Management API, with the state store on PostgreSQL: the HR system's employees reach Okta
 * as users created staged ({@code ?activate=false}), updated partially by {@code POST}, deactivated and then
 * deleted, with the {@code SSWS} API token; Okta's 429 waited out until its {@code X-Rate-Limit-Reset}; its
 * error body a dead letter's reason; every user pulled by the Link header's {@code after} cursor, 200 a
 * page; an event hook's deliveries with its Basic credentials taken, each user fetched, and ones with other
 * credentials refused; the hook's one-time verification request answered with its challenge. Every request Okta received is
 * checked against the whole of Okta's published OpenAPI description of the Management API, committed in
 * this repository.
 */
@QuarkusTest
@TestProfile(FastRetriesProfile.class)
@WithTestResource(HrStubResource.class)
class OktaPresetTest {

    static final String DATABASE = HrStubResource.DATABASE_URL;
    static final ApiDescription DESCRIPTION = ApiDescription.published("okta/management-minimal.yaml");

    /** The events of one user Okta's event hook stored. */
    static final String STORED = "SELECT id FROM inbox WHERE source_system = 'okta' AND record_key = ?";

    OktaStub okta;

    @Inject
    SystemTypes types;

    @Inject
    SyncModelRegistry registry;

    /** Every request carried the API token, is an operation of Okta's published description, and follows it. */
    @AfterEach
    void everyRequestFollowsOktasPublishedDescription() {
        assertThat(DESCRIPTION.whole()).isTrue();
        assertThat(okta.received()).allSatisfy(request -> assertThat(request.header("Authorization"))
                .isEqualTo("SSWS " + HrStubResource.OKTA_TOKEN));
        assertThat(DESCRIPTION.violations(okta.received())).as(DESCRIPTION.used()).isEmpty();
    }

    private static void employee(String id, String email, String lastName, boolean deleted) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("external_id", id, "email", email, "first_name", "Ada",
                "last_name", lastName));
        if (deleted) {
            body.put("deleted", true);
        }
        given().contentType(ContentType.JSON).body(body).when().post("/webhooks/hr/employees").then().statusCode(202);
    }

    static String userId(String employeeId) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT system_id FROM id_map WHERE entity = 'employee'"
                + " AND system = 'okta' AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'employee'"
                + " AND system = 'hr' AND system_id = ?)", employeeId).get(0).get("system_id");
    }

    static String lastStatus(String email) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT status FROM inbox WHERE payload LIKE ?"
                + " AND status IN ('done', 'held', 'dead') ORDER BY id DESC", "%" + email + "%").get(0).get("status");
    }

    static String run() {
        return "ok" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anEmployeeIsCreatedAsAStagedUserThenUpdatedThenDeactivatedAndDeleted() {
        String id = run();
        String email = id + "@example.com";

        employee(id, email, "Lovelace", false);
        String user = userId(id);
        assertThat(okta.user(user)).containsEntry("status", "STAGED");
        assertThat(okta.profile(user)).containsEntry("login", email).containsEntry("email", email)
                .containsEntry("firstName", "Ada").containsEntry("lastName", "Lovelace");
        List<HubSpotStub.Received> created = okta.received("POST", OktaStub.USERS).stream()
                .filter(request -> request.json().toString().contains(email)).toList();
        assertThat(created).singleElement().satisfies(request -> assertThat(request.query()).isEqualTo("activate=false"));

        employee(id, email, "King", false);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "King".equals(okta.profile(user).get("lastName")));
        // a partial update: POST to the user, the profile's mapped attributes alone
        assertThat(okta.received("POST", OktaStub.USERS + "/" + user)).singleElement()
                .satisfies(update -> assertThat(update.json()).isEqualTo(Map.of("profile", Map.of("login", email, "email", email,
                        "firstName", "Ada", "lastName", "King"))));
        assertThat(okta.received("PUT", OktaStub.USERS + "/" + user)).isEmpty();

        employee(id, email, "King", true);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> okta.user(user) == null);
        // the first DELETE deactivates the user, the second deletes it
        assertThat(okta.received("DELETE", OktaStub.USERS + "/" + user)).hasSize(2);
        assertThat(lastStatus(email)).isEqualTo("done");
    }

    @Test
    void oktasRateLimitIsWaitedOutUntilItsResetAndTheWriteSentAgain() {
        String id = run();
        String email = id + "@example.com";
        int before = okta.received().size();
        okta.rateLimitNext(1);

        employee(id, email, "Limited", false);
        assertThat(okta.profile(userId(id))).containsEntry("lastName", "Limited");
        assertThat(lastStatus(email)).isEqualTo("done");

        List<HubSpotStub.Received> calls = okta.received().subList(before, okta.received().size());
        assertThat(calls).hasSizeGreaterThan(1);
        // X-Rate-Limit-Reset is a whole second ahead: the write is not sent again before it
        assertThat(calls.get(1).at()).isAfterOrEqualTo(calls.get(0).at().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .plusSeconds(1));
    }

    @Test
    void oktasErrorIsADeadLetterNamingItsSummaryAndCause() {
        String id = run();
        String email = id + "@example.com";
        okta.add(Map.of("login", email, "email", email, "firstName", "Taken", "lastName", "Already"));

        employee(id, email, "Refused", false);
        assertThat(lastStatus(email)).isEqualTo("dead");
        DeadLetters.assertRefusedOnce(DATABASE, "\"external_id\":\"" + id + "\"", "okta rejected POST /api/v1/users: 400 Api validation"
                + " failed: login: login: An object with this field already exists in the current organization (E0000001)");
    }

    @Test
    void aPullReadsEveryPageByTheLinkHeadersAfterCursor() throws Exception {
        String run = run();
        IntStream.range(0, 430).forEach(i -> okta.add(Map.of("login", run + "-" + i + "@example.com", "email", run + "-" + i
                + "@example.com", "firstName", "Page", "lastName", run)));
        int before = okta.received().size();
        var model = registry.current().model();
        List<Map<String, Object>> records = new ArrayList<>();

        PullResult result = types.of("okta").puller().pull(new PullRequest("user", "okta", model.systems().get("okta"),
                model.entities().get("user").mappings().get("okta"), 200), records::addAll);

        assertThat(result.reachedEnd()).isTrue();
        assertThat(records.stream().filter(record -> run.equals(((Map<?, ?>) record.get("profile")).get("lastName")))).hasSize(430);
        List<HubSpotStub.Received> pages = okta.received().subList(before, okta.received().size());
        assertThat(pages).allSatisfy(page -> assertThat(page.method() + " " + page.path()).isEqualTo("GET " + OktaStub.USERS))
                .allSatisfy(page -> assertThat(page.query()).contains("limit=200"));
        assertThat(pages.subList(1, pages.size())).allSatisfy(page -> assertThat(page.query()).contains("after="));
        // the last page has no rel="next"; no request follows it
        assertThat(pages).hasSize((int) Math.ceil(records.size() / 200.0));
    }

    private static Response deliver(String body, String authorization) {
        var request = given().contentType(ContentType.JSON).body(body);
        return (authorization == null ? request : request.header("Authorization", authorization)).when().post("/webhooks/okta/users");
    }

    @Test
    void anEventHooksDeliveriesWithItsCredentialsAreFetchedAndTakenAndOthersRefused() {
        String run = run();
        Map<String, Object> user = okta.add(Map.of("login", run + "@example.com", "email", run + "@example.com",
                "firstName", "Grace", "lastName", "Hopper"));
        String id = (String) user.get("id");
        String created = okta.event("user.lifecycle.create", List.of(user));
        String credentials = OktaStub.basic(HrStubResource.OKTA_HOOK_CREDENTIALS);

        assertThat(deliver(created, OktaStub.basic("okta-hook:not-the-secret")).statusCode()).isEqualTo(401);
        assertThat(deliver(created, HrStubResource.OKTA_HOOK_CREDENTIALS).statusCode()).as("the value without Basic").isEqualTo(401);
        assertThat(deliver(created, null).statusCode()).isEqualTo(401);
        assertThat(TestDatabase.queryOn(DATABASE, STORED, id)).isEmpty();

        assertThat(deliver(created, credentials).statusCode()).isEqualTo(202);
        assertThat(TestDatabase.awaitRowsOn(DATABASE, "SELECT email, last_name, status FROM hr_okta_user WHERE external_id = ?", id))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("email", run + "@example.com")
                        .containsEntry("last_name", "Hopper").containsEntry("status", "ACTIVE"));
        assertThat(okta.received("GET", OktaStub.USERS + "/" + id)).isNotEmpty();

        // the user is fetched: the profile taken is the one the org has when the event is applied
        okta.profile(id).put("lastName", "Hopper-King");
        String updated = okta.event("user.account.update_profile", List.of(user));
        assertThat(deliver(updated, credentials).statusCode()).isEqualTo(202);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "Hopper-King".equals(TestDatabase.queryOn(DATABASE,
                "SELECT last_name FROM hr_okta_user WHERE external_id = ?", id).get(0).get("last_name")));

        // Okta sends a delivery again after a timeout or an error: the same delivery again is not stored again
        assertThat(TestDatabase.queryOn(DATABASE, STORED, id)).hasSize(2);
        assertThat(deliver(updated, credentials).statusCode()).isBetween(200, 299);
        assertThat(TestDatabase.queryOn(DATABASE, STORED, id)).hasSize(2);
    }

    @Test
    void theEventHooksOneTimeVerificationRequestIsAnsweredWithItsChallenge() {
        // Okta verifies a hook once, before it delivers: a GET carrying X-Okta-Verification-Challenge, answered
        // 200 with {"verification": <value>} (Okta's event hooks guide); nothing is stored
        String challenge = "Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg";
        int stored = TestDatabase.queryOn(DATABASE, "SELECT id FROM inbox WHERE source_system = 'okta'").size();
        given().header("X-Okta-Verification-Challenge", challenge)
                .header("Authorization", OktaStub.basic(HrStubResource.OKTA_HOOK_CREDENTIALS))
                .when().get("/webhooks/okta/users").then().statusCode(200).contentType(ContentType.JSON)
                .body("verification", org.hamcrest.Matchers.equalTo(challenge))
                .body("size()", org.hamcrest.Matchers.equalTo(1));
        // a GET without the challenge is refused, naming the header; the webhook itself still takes only POST
        given().when().get("/webhooks/okta/users").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.equalTo("invalid_challenge"))
                .body("field", org.hamcrest.Matchers.equalTo("X-Okta-Verification-Challenge"));
        given().header("X-Okta-Verification-Challenge", "x".repeat(2000)).when().get("/webhooks/okta/users").then().statusCode(400);
        given().when().put("/webhooks/okta/users").then().statusCode(405);
        // no other system's webhook answers a verification request
        given().header("X-Okta-Verification-Challenge", challenge).when().get("/webhooks/hr/employees").then().statusCode(405);
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT id FROM inbox WHERE source_system = 'okta'")).hasSize(stored);
    }
}
