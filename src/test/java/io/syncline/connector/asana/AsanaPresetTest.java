package io.syncline.connector.asana;

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
import io.syncline.testsupport.AsanaStub;
import io.syncline.testsupport.FastRetriesProfile;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.SupportDeskStubResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Asana tasks through {@code type: asana} (the preset, and the asana plug-in's create), against a stub
 * of Asana's REST API 1.0, with the state store on PostgreSQL: billing's to-dos reach Asana as tasks of
 * the system's project (created at {@code POST /tasks}, then updated), in their {@code {"data": …}}
 * envelope; Asana's 429 waited out as its {@code Retry-After} says; its error body a dead letter's
 * reason; a project's tasks pulled to the end, 100 a page, by offset tokens; Asana's signed task events
 * fetched and taken into billing's table, and refused when the signature is wrong; the webhook made as
 * Asana makes one, its handshake answered while an administrator awaits it. Every request Asana
 * received is checked against Asana's published OpenAPI description (the whole file where it is
 * placed, else the excerpt of it kept in this repository).
 */
@QuarkusTest
@TestProfile(FastRetriesProfile.class)
@WithTestResource(SupportDeskStubResource.class)
class AsanaPresetTest {

    static final String DATABASE = SupportDeskStubResource.DATABASE_URL;
    static final String PROJECT = SupportDeskStubResource.ASANA_PROJECT;
    static final String HOOK_PATH = "/webhooks/asana/tasks";
    static final ApiDescription DESCRIPTION = ApiDescription.publishedMergingAllOf("asana/asana_oas.yaml");

    AsanaStub asana;

    @Inject
    SystemTypes types;

    @Inject
    SyncModelRegistry registry;

    /** Every request carried the token, is an operation of Asana's published description, and follows it. */
    @AfterEach
    void everyRequestFollowsAsanasPublishedDescription() {
        assertThat(asana.received()).allSatisfy(request -> assertThat(request.header("Authorization"))
                .isEqualTo("Bearer " + SupportDeskStubResource.ASANA_TOKEN));
        assertThat(DESCRIPTION.violations(asana.received())).as(DESCRIPTION.used()).isEmpty();
    }

    private static void todo(String id, String email, String name) {
        given().contentType(ContentType.JSON).body(Map.of("external_id", id, "email", email, "last_name", name))
                .when().post("/webhooks/billing/todos").then().statusCode(202);
    }

    static String taskGid(String billingId) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT system_id FROM id_map WHERE entity = 'todo'"
                + " AND system = 'asana' AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'todo'"
                + " AND system = 'billing' AND system_id = ?)", billingId).get(0).get("system_id");
    }

    static String lastStatus(String email) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT status FROM inbox WHERE payload LIKE ?"
                + " AND status IN ('done', 'held', 'dead') ORDER BY id DESC", "%" + email + "%").get(0).get("status");
    }

    static String run() {
        return "as" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aTodoIsCreatedAsATaskOfTheProjectThenUpdated() {
        String id = run();
        String email = id + "@example.com";
        int creates = asana.received("POST", AsanaStub.TASKS).size();

        todo(id, email, "Call Ada");
        String gid = taskGid(id);
        assertThat(asana.task(gid)).containsEntry("name", "Call Ada").containsEntry("notes", email)
                .containsEntry("projects", List.of(Map.of("gid", PROJECT, "resource_type", "project", "name", "Follow-ups")));
        List<HubSpotStub.Received> posted = asana.received("POST", AsanaStub.TASKS);
        assertThat(posted).hasSize(creates + 1);
        assertThat(posted.get(posted.size() - 1).json())
                .isEqualTo(Map.of("data", Map.of("name", "Call Ada", "notes", email, "projects", List.of(PROJECT))));

        todo(id, email, "Call Ada again");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "Call Ada again".equals(asana.task(gid).get("name")));
        // the create-only projects are not sent again
        assertThat(asana.received("PUT", AsanaStub.TASKS + "/" + gid)).singleElement()
                .satisfies(update -> assertThat(update.json()).containsOnlyKeys("data").extractingByKey("data")
                        .isInstanceOfSatisfying(Map.class, data -> assertThat(data).containsEntry("name", "Call Ada again")
                                .doesNotContainKeys("projects", "workspace")));
        assertThat(asana.received("POST", AsanaStub.TASKS)).hasSize(creates + 1);
        assertThat(lastStatus(email)).isEqualTo("done");
    }

    @Test
    void asanasRateLimitIsWaitedOutAsItsRetryAfterSaysAndTheWriteSentAgain() {
        String id = run();
        String email = id + "@example.com";
        int before = asana.received().size();
        asana.rateLimitNext(1);

        todo(id, email, "Rate limited");
        assertThat(asana.task(taskGid(id))).containsEntry("name", "Rate limited");
        assertThat(lastStatus(email)).isEqualTo("done");

        List<HubSpotStub.Received> calls = asana.received().subList(before, asana.received().size());
        assertThat(calls).hasSizeGreaterThan(1);
        assertThat(Duration.between(calls.get(0).at(), calls.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void asanasErrorIsADeadLetterNamingItsMessage() {
        String id = run();
        String email = id + "@example.com";
        asana.respondNext("POST", AsanaStub.TASKS, 400, AsanaStub.error("notes: Value is too long: " + email));

        todo(id, email, "Refused");
        assertThat(lastStatus(email)).isEqualTo("dead");
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT reason, attempts FROM dead_letter WHERE payload LIKE ?", "%" + email + "%"))
                .singleElement().satisfies(row -> {
                    assertThat((String) row.get("reason")).contains("asana rejected POST /api/1.0/tasks: 400 notes: Value is too long: "
                            + email);
                    assertThat(row.get("attempts")).isEqualTo(1);
                });
    }

    @Test
    void aPullReadsEveryPageOfTheProjectByOffsetTokensAHundredAPage() throws Exception {
        String run = run();
        IntStream.range(0, 230).forEach(i -> asana.add(PROJECT, Map.of("name", run + "-" + i, "notes", run + "@example.com")));
        int before = asana.received().size();
        var model = registry.current().model();
        List<Map<String, Object>> records = new ArrayList<>();

        PullResult result = types.of("asana").puller().pull(new PullRequest("task", "asana", model.systems().get("asana"),
                model.entities().get("task").mappings().get("asana"), 100), records::addAll);

        assertThat(result.reachedEnd()).isTrue();
        assertThat(records.stream().filter(record -> String.valueOf(record.get("name")).startsWith(run))).hasSize(230);
        List<HubSpotStub.Received> pages = asana.received().subList(before, asana.received().size()).stream()
                .filter(request -> (request.method() + " " + request.path())
                        .equals("GET " + AsanaStub.BASE + "/projects/" + PROJECT + "/tasks"))
                .toList();
        assertThat(pages).allSatisfy(page -> assertThat(page.query()).contains("limit=100"));
        assertThat(pages.subList(1, pages.size())).allSatisfy(page -> assertThat(page.query()).contains("offset="));
        // the last page's next_page is null; no request follows it
        assertThat(pages).hasSize((int) Math.ceil(records.size() / 100.0));
    }

    private static Response deliver(String body, String signature) {
        return given().contentType(ContentType.JSON).header("X-Hook-Signature", signature).body(body)
                .when().post(HOOK_PATH);
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    /** {@code POST /webhooks} at Asana, as an operator creates the project's webhook to Syncline. */
    private Response createWebhook() {
        return given().baseUri(asana.baseUrl()).auth().oauth2(SupportDeskStubResource.ASANA_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("data", Map.of("resource", PROJECT, "target", "http://localhost:" + io.restassured.RestAssured.port
                        + HOOK_PATH, "filters", List.of(Map.of("resource_type", "task")))))
                .when().post(AsanaStub.WEBHOOKS);
    }

    /** The project's webhook to Syncline, made once with a handshake awaited through the admin API. */
    private synchronized AsanaStub.Hook hook() {
        if (asana.hooks().isEmpty()) {
            admin().when().post("/admin/webhooks/asana/handshakes").then().statusCode(201);
            createWebhook().then().statusCode(201);
        }
        return asana.hooks().get(asana.hooks().size() - 1);
    }

    @Test
    void asanasSignedTaskEventsAreFetchedAndTakenAndOnesWithAWrongSignatureRefused() {
        String run = run();
        String email = run + "@example.com";
        String gid = asana.add(PROJECT, Map.of("name", "Hopper", "notes", email));
        String added = AsanaStub.events("added", gid);
        AsanaStub.Hook hook = hook();

        assertThat(deliver(added, AsanaStub.sign("not-the-hook-secret", added)).statusCode()).isEqualTo(401);
        assertThat(deliver(added.replace(gid, "1"), AsanaStub.sign(hook.secret(), added)).statusCode()).isEqualTo(401);
        assertThat(given().contentType(ContentType.JSON).body(added).when().post(HOOK_PATH).statusCode()).isEqualTo(401);
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT id FROM inbox WHERE payload LIKE ?", "%" + gid + "%")).isEmpty();

        assertThat(asana.deliver(hook, added)).isEqualTo(202);
        assertThat(TestDatabase.awaitRowsOn(DATABASE, "SELECT email, last_name FROM demo_contact WHERE external_id = ?", gid))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("email", email).containsEntry("last_name", "Hopper"));
        assertThat(asana.received("GET", AsanaStub.TASKS + "/" + gid)).isNotEmpty();

        // a thin event names the task only: the name it is taken with is the one a fetch reads then
        asana.task(gid).put("name", "Hopper-King");
        assertThat(asana.deliver(hook, AsanaStub.events("changed", gid))).isEqualTo(202);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "Hopper-King".equals(TestDatabase.queryOn(DATABASE,
                "SELECT last_name FROM demo_contact WHERE external_id = ?", gid).get(0).get("last_name")));

        // a heartbeat: signed, no events, nothing stored
        assertThat(asana.deliver(hook, AsanaStub.events("changed"))).isBetween(200, 299);
    }

    /**
     * A webhook is made as Asana makes one: its handshake ({@code X-Hook-Secret}, no body) answered 200
     * with the same header while an administrator awaits it, the secret kept sealed and signing what
     * follows; refused (and the webhook not made) when none is awaited, so nobody can plant a secret.
     */
    @Test
    void aWebhooksHandshakeIsAnsweredOnlyWhileAwaitedAndItsSecretSignsTheDeliveries() {
        AsanaStub.Hook hook = hook();
        int hooks = asana.hooks().size();

        // none awaited now: the handshake is refused, Asana does not make the webhook, the secret stays
        Response stranger = given().header("X-Hook-Secret", "a-secret-of-a-strangers-choosing").when().post(HOOK_PATH);
        assertThat(stranger.statusCode()).isEqualTo(403);
        assertThat(stranger.header("X-Hook-Secret")).isNull();
        assertThat(stranger.jsonPath().getString("error")).isEqualTo("handshake_not_expected");
        assertThat(createWebhook().statusCode()).isEqualTo(400);
        assertThat(asana.hooks()).hasSize(hooks);
        String body = AsanaStub.events("changed");
        assertThat(deliver(body, AsanaStub.sign("a-secret-of-a-strangers-choosing", body)).statusCode()).isEqualTo(401);
        assertThat(asana.deliver(hook, body)).isBetween(200, 299);

        // the secret is kept sealed: its row holds no clear text of it
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT secret, open_until FROM webhook_secret WHERE system_name = 'asana'"
                + " AND webhook_path = ?", HOOK_PATH)).singleElement().satisfies(row -> {
                    assertThat((String) row.get("secret")).doesNotContain(hook.secret());
                    assertThat(row.get("open_until")).isNull();
                });
        admin().when().get("/admin/webhooks/asana/handshakes").then().statusCode(200)
                .body("handshakes[0].path", org.hamcrest.Matchers.equalTo(HOOK_PATH))
                .body("handshakes[0].receivedAt", org.hamcrest.Matchers.notNullValue())
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(hook.secret())));

        // a new webhook, awaited: its new secret signs from then on, the old one no longer
        admin().contentType(ContentType.JSON).body(Map.of("path", HOOK_PATH)).when().post("/admin/webhooks/asana/handshakes")
                .then().statusCode(201).body("path", org.hamcrest.Matchers.equalTo(HOOK_PATH))
                .body("openUntil", org.hamcrest.Matchers.notNullValue());
        assertThat(createWebhook().statusCode()).isEqualTo(201);
        AsanaStub.Hook renewed = hook();
        assertThat(renewed.secret()).isNotEqualTo(hook.secret());
        assertThat(asana.deliver(renewed, body)).isBetween(200, 299);
        assertThat(asana.deliver(hook, body)).isEqualTo(401);

        // the admin API names what it cannot do
        admin().contentType(ContentType.JSON).body(Map.of("path", "/webhooks/asana/nothing")).when()
                .post("/admin/webhooks/asana/handshakes").then().statusCode(400).body("error", org.hamcrest.Matchers.equalTo("unknown_webhook_path"));
        admin().when().post("/admin/webhooks/zendesk/handshakes").then().statusCode(409);
        admin().when().post("/admin/webhooks/nobody/handshakes").then().statusCode(404);
        given().when().post("/admin/webhooks/asana/handshakes").then().statusCode(401);
    }
}
