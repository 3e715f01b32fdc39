package io.syncline.connector.notion;

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
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.NotionStub;
import io.syncline.testsupport.ProjectToolsStubResource;
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
 * Pages of a Notion database through {@code type: notion} (the preset, and the notion plug-in's data
 * source, property types, query, creates and trash), against a stub of Notion's API version 2025-09-03,
 * with the state store on PostgreSQL: billing's contacts reach the database as pages (created at
 * {@code POST /v1/pages} with the database as parent, each value written as its property's type takes
 * it, updated by {@code PATCH}, moved to the trash on delete); Notion's 429 waited out as its
 * {@code Retry-After} says; its validation error a dead letter's reason; the data source's pages pulled
 * to the end by the query's cursor, 100 a page, each read as its plain property values; Notion's
 * signed page events fetched and taken into billing's table, and refused when the signature is wrong.
 * Every request Notion received carried the integration's token and the version header, and is checked
 * against the whole of the OpenAPI description Notion publishes with its MCP server, committed in this
 * repository.
 */
@QuarkusTest
@TestProfile(FastRetriesProfile.class)
@WithTestResource(ProjectToolsStubResource.class)
class NotionPresetTest {

    static final String DATABASE = ProjectToolsStubResource.DATABASE_URL;
    static final String NOTION_DATABASE = ProjectToolsStubResource.NOTION_DATABASE;
    static final ApiDescription DESCRIPTION = ApiDescription.published("notion/notion-openapi.json");

    /** The events of one page Notion's webhook stored. */
    static final String STORED = "SELECT id FROM inbox WHERE source_system = 'notion' AND record_key = ?";

    NotionStub notion;

    @Inject
    SystemTypes types;

    @Inject
    SyncModelRegistry registry;

    /** Every request carried the token and the version, is an operation of Notion's published description, and follows it. */
    @AfterEach
    void everyRequestFollowsNotionsPublishedDescription() {
        assertThat(DESCRIPTION.whole()).isTrue();
        assertThat(notion.received()).allSatisfy(request -> {
            assertThat(request.header("Authorization")).isEqualTo("Bearer " + ProjectToolsStubResource.NOTION_TOKEN);
            assertThat(request.header("Notion-Version")).isEqualTo("2025-09-03");
        });
        assertThat(DESCRIPTION.violations(notion.received())).as(DESCRIPTION.used()).isEmpty();
    }

    private static void contact(String id, String email, String name, boolean deleted) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("external_id", id, "email", email, "last_name", name));
        if (deleted) {
            body.put("deleted", true);
        }
        given().contentType(ContentType.JSON).body(body).when().post("/webhooks/billing/notecontacts").then().statusCode(202);
    }

    static String pageId(String billingId) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT system_id FROM id_map WHERE entity = 'notecontact'"
                + " AND system = 'notion' AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'notecontact'"
                + " AND system = 'billing' AND system_id = ?)", billingId).get(0).get("system_id");
    }

    static String lastStatus(String email) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT status FROM inbox WHERE payload LIKE ?"
                + " AND status IN ('done', 'held', 'dead') ORDER BY id DESC", "%" + email + "%").get(0).get("status");
    }

    static String run() {
        return "no" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The data source of the model's database, the one its pages are listed and created in. */
    private String dataSource() {
        return notion.dataSources(NOTION_DATABASE).get(0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aContactIsCreatedAsAPageOfTheDatabaseThenUpdatedThenTrashed() {
        String id = run();
        String email = id + "@example.com";
        int creates = notion.received("POST", NotionStub.PAGES).size();

        contact(id, email, "Ada " + id, false);
        String page = pageId(id);
        assertThat(notion.value(page, "Name")).isEqualTo("Ada " + id);
        assertThat(notion.value(page, "Email")).isEqualTo(email);
        List<HubSpotStub.Received> posted = notion.received("POST", NotionStub.PAGES);
        assertThat(posted).hasSize(creates + 1);
        // the database is the parent; each value written as its property's type takes it
        assertThat(posted.get(posted.size() - 1).json()).isEqualTo(Map.of(
                "parent", Map.of("type", "database_id", "database_id", NOTION_DATABASE),
                "properties", Map.of("Name", Map.of("title", List.of(Map.of("type", "text", "text", Map.of("content", "Ada " + id)))),
                        "Email", Map.of("email", email))));

        contact(id, email, "Ada King " + id, false);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ("Ada King " + id).equals(notion.value(page, "Name")));
        assertThat(notion.received("PATCH", NotionStub.PAGES + "/" + page)).singleElement()
                .satisfies(update -> assertThat((Map<String, Object>) update.json()).containsOnlyKeys("properties"));
        assertThat(notion.received("POST", NotionStub.PAGES)).hasSize(creates + 1);

        contact(id, email, "Ada King " + id, true);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Boolean.TRUE.equals(notion.page(page).get("in_trash")));
        assertThat(notion.received("PATCH", NotionStub.PAGES + "/" + page)).hasSize(2)
                .last().satisfies(trash -> assertThat(trash.json()).isEqualTo(Map.of("in_trash", true)));
        assertThat(lastStatus(email)).isEqualTo("done");
    }

    @Test
    void notionsRateLimitIsWaitedOutAsItsRetryAfterSaysAndTheWriteSentAgain() {
        String id = run();
        String email = id + "@example.com";
        int before = notion.received().size();
        notion.rateLimitNext(1);

        contact(id, email, "Rate limited " + id, false);
        assertThat(notion.value(pageId(id), "Name")).isEqualTo("Rate limited " + id);
        assertThat(lastStatus(email)).isEqualTo("done");

        List<HubSpotStub.Received> calls = notion.received().subList(before, notion.received().size());
        assertThat(calls).hasSizeGreaterThan(1);
        assertThat(Duration.between(calls.get(0).at(), calls.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void notionsValidationErrorIsADeadLetterNamingItsMessage() {
        String id = run();
        String email = id + "@example.com";
        notion.respondNext("POST", NotionStub.PAGES, 400, NotionStub.error(400, "validation_error",
                "body failed validation: body.properties.Name.title[0].text.content.length should be ≤ `2000` " + id));

        contact(id, email, "Refused " + id, false);
        assertThat(lastStatus(email)).isEqualTo("dead");
        DeadLetters.assertRefusedOnce(DATABASE, email, "notion rejected POST /v1/pages: 400 body failed"
                + " validation: body.properties.Name.title[0].text.content.length should be ≤ `2000` " + id + " (validation_error)");
    }

    @Test
    void aPullReadsEveryPageOfTheDataSourcesQueryByItsCursors() throws Exception {
        String run = run();
        String dataSource = dataSource();
        IntStream.range(0, 230).forEach(i -> notion.add(dataSource, Map.of("Name", run + "-" + i, "Email", run + i + "@example.com")));
        int before = notion.received().size();
        var model = registry.current().model();
        List<Map<String, Object>> records = new ArrayList<>();

        PullResult result = types.of("notion").puller().pull(new PullRequest("notionpage", "notion", model.systems().get("notion"),
                model.entities().get("notionpage").mappings().get("notion"), 100), records::addAll);

        assertThat(result.reachedEnd()).isTrue();
        // each page read as its plain property values beside its id, as the mapping reads it
        assertThat(records.stream().filter(record -> String.valueOf(record.get("Name")).startsWith(run + "-"))).hasSize(230)
                .allSatisfy(record -> assertThat(record).containsKeys("id", "Email", "last_edited_time")
                        .doesNotContainKey("properties"));
        String query = "/v1/data_sources/" + dataSource + "/query";
        List<HubSpotStub.Received> pages = notion.received().subList(before, notion.received().size()).stream()
                .filter(request -> (request.method() + " " + request.path()).equals("POST " + query)).toList();
        assertThat(pages).allSatisfy(page -> assertThat(page.json()).extracting("page_size").isEqualTo(100));
        assertThat(pages.subList(1, pages.size())).allSatisfy(page -> assertThat(page.json()).extracting("start_cursor").isNotNull());
        // the last page says has_more false; no request follows it
        assertThat(pages).hasSize((int) Math.ceil(records.size() / 100.0));
        assertThat(result.pages()).isEqualTo(pages.size());
    }

    static final String HOOK_PATH = "/webhooks/notion/pages";
    static final String HOOK_SECRET = "/admin/webhooks/notion/handshakes/secret";

    private static Response deliver(String body, String signature) {
        return given().contentType(ContentType.JSON).header("X-Notion-Signature", signature).body(body)
                .when().post(HOOK_PATH);
    }

    @Test
    void notionsSignedPageEventsAreFetchedAndTakenAndOnesWithAWrongSignatureRefused() {
        String run = run();
        String page = notion.add(dataSource(), Map.of("Name", "Hopper " + run, "Email", run + "@example.com"));
        String created = NotionStub.event(UUID.randomUUID().toString(), "page.created", page, NOTION_DATABASE);
        String token = verified();

        assertThat(deliver(created, NotionStub.sign("not-the-token", created)).statusCode()).isEqualTo(401);
        assertThat(deliver(created.replace(page, UUID.randomUUID().toString()), NotionStub.sign(token, created)).statusCode())
                .isEqualTo(401);
        assertThat(given().contentType(ContentType.JSON).body(created).when().post("/webhooks/notion/pages").statusCode())
                .isEqualTo(401);
        assertThat(TestDatabase.queryOn(DATABASE, STORED, page)).isEmpty();

        assertThat(deliver(created, NotionStub.sign(token, created)).statusCode()).isEqualTo(202);
        assertThat(TestDatabase.awaitRowsOn(DATABASE, "SELECT email, last_name FROM demo_contact WHERE external_id = ?", page))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("email", run + "@example.com")
                        .containsEntry("last_name", "Hopper " + run));
        assertThat(notion.received("GET", NotionStub.PAGES + "/" + page)).isNotEmpty();

        // the page is fetched: the name taken is the one the database has when the event is applied
        notion.edit(page, Map.of("Name", "Hopper-King " + run));
        String updated = NotionStub.event(UUID.randomUUID().toString(), "page.properties_updated", page, NOTION_DATABASE);
        assertThat(deliver(updated, NotionStub.sign(token, updated)).statusCode()).isEqualTo(202);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ("Hopper-King " + run).equals(TestDatabase.queryOn(DATABASE,
                "SELECT last_name FROM demo_contact WHERE external_id = ?", page).get(0).get("last_name")));

        // a retry of an event carries its id: it is not stored again
        assertThat(TestDatabase.queryOn(DATABASE, STORED, page)).hasSize(2);
        assertThat(deliver(updated, NotionStub.sign(token, updated)).statusCode()).isBetween(200, 299);
        assertThat(TestDatabase.queryOn(DATABASE, STORED, page)).hasSize(2);

        // an event of another database's page is not this system's: answered, not stored
        String other = UUID.randomUUID().toString();
        String elsewhere = NotionStub.event(UUID.randomUUID().toString(), "page.created", other, UUID.randomUUID().toString());
        assertThat(deliver(elsewhere, NotionStub.sign(token, elsewhere)).statusCode()).isBetween(200, 299);
        assertThat(TestDatabase.queryOn(DATABASE, STORED, other)).isEmpty();
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    /** Notion's verification request when a subscription is made: unsigned, the token in its body. */
    private static Response verification(String token) {
        return given().contentType(ContentType.JSON).body(Map.of("verification_token", token)).when().post(HOOK_PATH);
    }

    /** The subscription made and verified once: its verification request awaited and taken; the token. */
    private static synchronized String verified() {
        if (admin().when().get(HOOK_SECRET).statusCode() == 404) {
            admin().when().post("/admin/webhooks/notion/handshakes").then().statusCode(201);
            verification(ProjectToolsStubResource.NOTION_VERIFICATION_TOKEN).then().statusCode(200);
        }
        return ProjectToolsStubResource.NOTION_VERIFICATION_TOKEN;
    }

    /**
     * The verification request of a new subscription ({@code {"verification_token": …}}, unsigned) is
     * taken only while an administrator awaits it, its token kept sealed and shown to the administrator
     * to paste in Notion's Verify form; it then signs the events. Any other is refused, its token
     * signing nothing.
     */
    @Test
    void aSubscriptionsVerificationTokenIsTakenWhileAwaitedAndShownToAnAdministrator() {
        String token = verified();

        Response stranger = verification("secret_a-strangers-token");
        assertThat(stranger.statusCode()).isEqualTo(403);
        assertThat(stranger.jsonPath().getString("error")).isEqualTo("handshake_not_expected");
        String heartbeat = NotionStub.event(UUID.randomUUID().toString(), "page.created", UUID.randomUUID().toString(),
                UUID.randomUUID().toString());
        assertThat(deliver(heartbeat, NotionStub.sign("secret_a-strangers-token", heartbeat)).statusCode()).isEqualTo(401);

        admin().when().get(HOOK_SECRET).then().statusCode(200).body("path", org.hamcrest.Matchers.equalTo(HOOK_PATH))
                .body("secret", org.hamcrest.Matchers.equalTo(token));
        given().when().get(HOOK_SECRET).then().statusCode(401);
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT secret FROM webhook_secret WHERE system_name = 'notion'"))
                .singleElement().satisfies(row -> assertThat((String) row.get("secret")).doesNotContain(token));
        // nothing of a verification request is stored as an event
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT id FROM inbox WHERE payload LIKE ?", "%verification_token%")).isEmpty();

        // a new subscription, awaited: its token signs from then on
        admin().when().post("/admin/webhooks/notion/handshakes").then().statusCode(201);
        verification("secret_renewed0000").then().statusCode(200);
        assertThat(deliver(heartbeat, NotionStub.sign("secret_renewed0000", heartbeat)).statusCode()).isBetween(200, 299);
        assertThat(deliver(heartbeat, NotionStub.sign(token, heartbeat)).statusCode()).isEqualTo(401);
        admin().when().post("/admin/webhooks/notion/handshakes").then().statusCode(201);
        verification(token).then().statusCode(200);
        assertThat(deliver(heartbeat, NotionStub.sign(token, heartbeat)).statusCode()).isBetween(200, 299);
    }
}
