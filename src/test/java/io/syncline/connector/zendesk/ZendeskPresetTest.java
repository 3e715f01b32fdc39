package io.syncline.connector.zendesk;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.testsupport.FastRetriesProfile;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.InboxBacklog;
import io.syncline.testsupport.LinkedRecords;
import io.syncline.testsupport.SupportDeskStubResource;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.ZendeskStub;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shopify customers into Zendesk users through {@code type: zendesk} (the preset, and the zendesk
 * plug-in's search), against a stub of the Zendesk Support API written from its reference pages,
 * with the state store on PostgreSQL: a Shopify webhook reaches Zendesk as a user in Zendesk's
 * {@code {"user": {…}}} envelope, its new id read inside the answer's; a person Zendesk has is
 * found by its search and linked, not created twice; Zendesk's 429 waited out; its error body a
 * dead letter's reason; users pulled to the end, 100 a page, stopping where {@code meta.has_more}
 * says; Zendesk's signed webhooks taken when valid and refused when tampered with or stale; a
 * backlog of new customers created 100 a {@code create_or_update_many} job, each job polled until
 * completed; a user Zendesk refuses in an {@code update_many} job a dead letter with its details
 * while the others are applied.
 * Zendesk's OpenAPI description (developer.zendesk.com/zendesk/oas.yaml) could not be reached from
 * this build, so requests are checked against the documented shapes the stub enforces.
 */
@QuarkusTest
@TestProfile(FastRetriesProfile.class)
@WithTestResource(SupportDeskStubResource.class)
class ZendeskPresetTest {

    static final String DATABASE = SupportDeskStubResource.DATABASE_URL;

    ZendeskStub zendesk;

    @Inject
    SystemTypes types;

    @Inject
    SyncModelRegistry registry;

    /** Every request carried the API token as Zendesk's basic auth, and every write the user envelope. */
    @AfterEach
    void everyRequestFollowsZendesksDocumentedShape() {
        String basic = "Basic " + Base64.getEncoder().encodeToString((SupportDeskStubResource.ZENDESK_EMAIL + "/token:"
                + SupportDeskStubResource.ZENDESK_TOKEN).getBytes(StandardCharsets.UTF_8));
        assertThat(zendesk.received()).allSatisfy(request -> {
            assertThat(request.header("Authorization")).isEqualTo(basic);
            assertThat(request.path()).matches(path -> path.startsWith(ZendeskStub.USERS) || path.startsWith(ZendeskStub.JOB_STATUSES + "/"));
            if (request.path().endsWith("_many")) {
                assertThat(request.json()).containsOnlyKeys("users");
                assertThat((List<?>) request.json().get("users")).hasSizeBetween(1, 100);
            } else if (request.method().equals("POST") || request.method().equals("PUT")) {
                assertThat(request.json()).containsOnlyKeys("user");
            }
        });
    }

    /** A Shopify customers/create webhook, signed as Shopify signs it; its inbox id. */
    private static long shopifyCustomer(long id, String email, String first, String last) throws Exception {
        String body = "{\"id\":" + id + ",\"email\":\"" + email + "\",\"first_name\":\"" + first + "\",\"last_name\":\"" + last
                + "\",\"state\":\"enabled\",\"verified_email\":true,\"currency\":\"GBP\",\"tags\":\"\"}";
        Integer inboxId = given().contentType(ContentType.JSON)
                .header("X-Shopify-Hmac-Sha256", SupportDeskStubResource.sign(SupportDeskStubResource.SHOPIFY_SECRET, body))
                .header("X-Shopify-Topic", "customers/create").header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                .header("X-Shopify-Shop-Domain", "acme.myshopify.com").header("X-Shopify-API-Version", "2025-01")
                .body(body).when().post("/webhooks/shopify/customers").then().statusCode(202).extract().path("events[0].inboxId");
        return inboxId.longValue();
    }

    static String finalStatus(long inboxId) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT status FROM inbox WHERE id = ? AND status IN ('done', 'held', 'dead')",
                inboxId).get(0).get("status");
    }

    static String zendeskId(long shopifyId) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT system_id FROM id_map WHERE entity = 'customer' AND system = 'zendesk'"
                + " AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'customer' AND system = 'shopify'"
                + " AND system_id = ?)", Long.toString(shopifyId)).get(0).get("system_id");
    }

    static String auditLine(long inboxId) {
        return (String) TestDatabase.queryOn(DATABASE, "SELECT action || ': ' || coalesce(detail, '') AS line FROM audit_log"
                + " WHERE inbox_id = ? AND target_system = 'zendesk' ORDER BY id", inboxId).get(0).get("line");
    }

    static long shopifyId() {
        return 7_000_000_000_000L + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
    }

    @Test
    void aShopifyCustomerReachesZendeskAsAUserInItsEnvelope() throws Exception {
        long id = shopifyId();
        String email = "ada-" + id + "@example.com";
        int creates = zendesk.received("POST", ZendeskStub.USERS).size();

        long inboxId = shopifyCustomer(id, email, "Ada", "Lovelace");
        assertThat(finalStatus(inboxId)).isEqualTo("done");

        String userId = zendeskId(id);
        assertThat(zendesk.user(userId)).containsEntry("email", email).containsEntry("name", "Ada Lovelace")
                .containsEntry("external_id", Long.toString(id));
        List<HubSpotStub.Received> posted = zendesk.received("POST", ZendeskStub.USERS);
        assertThat(posted).hasSize(creates + 1);
        assertThat(posted.get(posted.size() - 1).json()).isEqualTo(Map.of("user",
                Map.of("external_id", Long.toString(id), "email", email, "name", "Ada Lovelace")));
        assertThat(auditLine(inboxId)).startsWith("created");
    }

    @Test
    void aPersonZendeskHasIsFoundByItsSearchAndLinkedNotCreatedTwice() throws Exception {
        long id = shopifyId();
        String email = "known-" + id + "@example.com";
        String existing = zendesk.add(Map.of("email", email, "name", "Grace Hopper"));
        int creates = zendesk.received("POST", ZendeskStub.USERS).size();

        long inboxId = shopifyCustomer(id, email.toUpperCase(), "Grace", "Hopper");
        assertThat(finalStatus(inboxId)).isEqualTo("done");

        assertThat(zendeskId(id)).isEqualTo(existing);
        assertThat(zendesk.withEmail(email)).containsExactly(existing);
        assertThat(zendesk.received("POST", ZendeskStub.USERS)).hasSize(creates);
        assertThat(zendesk.received("GET", ZendeskStub.USERS + "/search")).last()
                .satisfies(search -> assertThat(search.query()).isEqualTo("query=email%3A" + email.replace("@", "%40")));
        assertThat(auditLine(inboxId)).contains("matched by email (0.95)");
        assertThat(zendesk.user(existing)).containsEntry("external_id", Long.toString(id));
    }

    @Test
    void zendesksRateLimitIsWaitedOutAndTheWriteSentAgain() throws Exception {
        long id = shopifyId();
        zendesk.rateLimitNext(1);

        long inboxId = shopifyCustomer(id, "limited-" + id + "@example.com", "Rate", "Limited");
        assertThat(finalStatus(inboxId)).isEqualTo("done");

        assertThat(zendesk.user(zendeskId(id))).containsEntry("name", "Rate Limited");
        assertThat((Integer) TestDatabase.queryOn(DATABASE, "SELECT attempts FROM inbox WHERE id = ?", inboxId).get(0)
                .get("attempts")).isGreaterThan(1);
    }

    @Test
    void zendesksErrorBodyIsTheDeadLettersReason() throws Exception {
        long id = shopifyId();
        String email = "refused-" + id + "@example.com";
        zendesk.respondNext("POST", ZendeskStub.USERS, 422, Map.of("error", "RecordInvalid",
                "description", "Record validation errors", "details", Map.of("email", List.of(Map.of("description",
                        "Email: " + email + " is already being used by another user", "error", "DuplicateValue")))));
        long inboxId = shopifyCustomer(id, email, "Taken", "Email");
        assertThat(finalStatus(inboxId)).isEqualTo("dead");

        assertThat(TestDatabase.queryOn(DATABASE, "SELECT reason, attempts FROM dead_letter WHERE payload LIKE ?", "%" + email + "%"))
                .singleElement().satisfies(row -> {
                    assertThat((String) row.get("reason")).contains("zendesk rejected POST /api/v2/users: 422 Record validation"
                            + " errors: email: Email: " + email + " is already being used by another user (RecordInvalid)");
                    assertThat(row.get("attempts")).isEqualTo(1);
                });
    }

    @Test
    void aPullReadsEveryPageToTheEndAHundredAPageAndStopsWhereZendeskSaysNoMore() throws Exception {
        String run = "pull-" + UUID.randomUUID().toString().substring(0, 8);
        IntStream.range(0, 250).forEach(i -> zendesk.add(Map.of("email", run + "-" + i + "@example.com", "name", "Paged")));
        int before = zendesk.received().size();
        var model = registry.current().model();
        List<Map<String, Object>> records = new ArrayList<>();

        PullResult result = types.of("zendesk").puller().pull(new PullRequest("requester", "zendesk", model.systems().get("zendesk"),
                model.entities().get("requester").mappings().get("zendesk"), 100), records::addAll);

        assertThat(result.reachedEnd()).isTrue();
        assertThat(records.stream().filter(record -> String.valueOf(record.get("email")).startsWith(run))).hasSize(250);
        List<HubSpotStub.Received> pages = zendesk.received().subList(before, zendesk.received().size()).stream()
                .filter(request -> (request.method() + " " + request.path()).equals("GET " + ZendeskStub.USERS)).toList();
        assertThat(pages).allSatisfy(page -> assertThat(page.query()).contains("page%5Bsize%5D=100"));
        // the last page says has_more: false and still links onwards; no request follows it
        assertThat(pages).hasSize((int) Math.ceil(records.size() / 100.0));
    }

    private static Response postZendesk(String body, String timestamp, String secret) throws Exception {
        return given().contentType(ContentType.JSON)
                .header("X-Zendesk-Webhook-Signature", SupportDeskStubResource.sign(secret, timestamp + body))
                .header("X-Zendesk-Webhook-Signature-Timestamp", timestamp)
                .header("X-Zendesk-Webhook-Id", "01HZ0000000000000000000000")
                .body(body).when().post("/webhooks/zendesk/users");
    }

    @Test
    void zendesksSignedWebhooksAreTakenAndTamperedOrStaleOnesRefused() throws Exception {
        String userId = Long.toString(shopifyId());
        String event = "{\"account_id\":22129848,\"detail\":{\"id\":\"" + userId + "\",\"email\":\"event-" + userId
                + "@example.com\",\"name\":\"Hopper\",\"role\":\"END_USER\",\"created_at\":\"2025-01-08T10:12:07Z\"},"
                + "\"event\":{},\"id\":\"" + UUID.randomUUID() + "\",\"subject\":\"zen:user:" + userId + "\","
                + "\"time\":\"2025-01-08T10:12:07.672717030Z\",\"type\":\"zen:event-type:user.created\","
                + "\"zendesk_event_version\":\"2022-11-06\"}";
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String stale = Instant.now().minus(20, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();

        assertThat(postZendesk(event, now, "not-the-signing-secret").statusCode()).isEqualTo(401);
        Response tampered = given().contentType(ContentType.JSON)
                .header("X-Zendesk-Webhook-Signature", SupportDeskStubResource.sign(SupportDeskStubResource.ZENDESK_SECRET, now + event))
                .header("X-Zendesk-Webhook-Signature-Timestamp", now)
                .body(event.replace("Hopper", "Mallory")).when().post("/webhooks/zendesk/users");
        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(postZendesk(event, stale, SupportDeskStubResource.ZENDESK_SECRET).statusCode()).isEqualTo(401);
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT id FROM inbox WHERE payload LIKE ?", "%event-" + userId + "%")).isEmpty();
        assertThat(postZendesk(event, now, SupportDeskStubResource.ZENDESK_SECRET).statusCode()).isEqualTo(202);

        Map<String, Object> row = TestDatabase.awaitRowsOn(DATABASE, "SELECT email, last_name FROM demo_contact WHERE external_id = ?",
                userId).get(0);
        assertThat(row).containsEntry("email", "event-" + userId + "@example.com").containsEntry("last_name", "Hopper");
    }

    /** Shopify customers {@code <id+i>} as its webhook stores them, pending for Zendesk, all in one statement. */
    private static List<Long> backlog(long first, int n, java.util.function.IntFunction<String> email, String lastName) {
        return InboxBacklog.storeIn(DATABASE, "customer", "shopify", "zendesk", java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> Map.<String, Object>of("id", first + i, "email", email.apply(i), "first_name", "Ada",
                        "last_name", lastName))
                .toList());
    }

    private static void awaitSettled(List<Long> ids) {
        TestDatabase.awaitRowsOn(DATABASE, "SELECT count(*) AS n FROM inbox WHERE id = ANY(?) AND status IN ('done', 'dead')"
                + " HAVING count(*) = ?", ids.toArray(Long[]::new), (long) ids.size());
    }

    /** The {@code _many} calls that carried this run's users: how many each carried. */
    private List<Integer> batches(String method, String operation, String run) {
        return zendesk.received(method, ZendeskStub.USERS + "/" + operation).stream().filter(call -> call.body().contains(run))
                .map(call -> ((List<?>) call.json().get("users")).size()).toList();
    }

    @Test
    void aBacklogOfNewCustomersIsCreatedInZendeskAHundredAJob() {
        long first = shopifyId();
        String run = "batch" + first;
        int polls = zendesk.received().stream().filter(request -> request.path().startsWith(ZendeskStub.JOB_STATUSES)).toList().size();
        List<Long> ids = backlog(first, 150, i -> run + "-" + i + "@example.com", "Backlog");
        awaitSettled(ids);

        assertThat(TestDatabase.queryOn(DATABASE, "SELECT count(*) AS n FROM inbox WHERE id = ANY(?) AND status = 'done'",
                (Object) ids.toArray(Long[]::new)).get(0).get("n")).isEqualTo(150L);
        // ceil(150 / 100) jobs, each asked after until completed (working, then completed), no create alone
        assertThat(batches("POST", "create_or_update_many", run)).containsExactly(100, 50);
        assertThat(zendesk.received("POST", ZendeskStub.USERS)).noneSatisfy(create -> assertThat(create.body()).contains(run));
        assertThat(zendesk.received().stream().filter(request -> request.path().startsWith(ZendeskStub.JOB_STATUSES)).toList())
                .hasSize(polls + 4);
        for (int i = 0; i < 150; i++) {
            assertThat(zendesk.withEmail(run + "-" + i + "@example.com")).as("user %d", i).containsExactly(zendeskId(first + i));
        }
        assertThat(auditLine(ids.get(0))).startsWith("created")
                .contains("zendesk create_or_update_many /api/v2/users (100 records): created " + zendeskId(first));
    }

    @Test
    void aUserZendeskRefusesInABatchIsADeadLetterWithItsDetailsAndTheOthersAreApplied() {
        long first = shopifyId();
        String run = "partial" + first;
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = zendesk.add(Map.of("name", "Ada First", "email", run + "-" + i + "@example.com",
                    "external_id", Long.toString(first + i)));
            String canonical = UUID.randomUUID().toString();
            TestDatabase.queryOn(DATABASE, "INSERT INTO id_map (entity, canonical_id, system, system_id) VALUES ('customer', ?,"
                    + " 'shopify', ?), ('customer', ?, 'zendesk', ?) RETURNING system", canonical, Long.toString(first + i), canonical, id);
            users.add(id);
        }
        zendesk.add(Map.of("name", "Someone Else", "email", "taken-" + run + "@example.com"));

        List<Long> ids = backlog(first, 5, i -> i == 2 ? "taken-" + run + "@example.com" : run + "-" + i + "@example.com", "Second");
        awaitSettled(ids);

        // one job for the five; the refused user's event fails alone at once with Zendesk's details,
        // the others are recorded from the job's results without a second write
        assertThat(batches("PUT", "update_many", run)).containsExactly(5);
        assertThat(zendesk.received().stream().filter(request -> request.method().equals("PUT")
                && request.path().matches(".*/users/\\d+"))).noneSatisfy(update -> assertThat(update.body()).contains(run));
        for (int i = 0; i < 5; i++) {
            assertThat(TestDatabase.queryOn(DATABASE, "SELECT status FROM inbox WHERE id = ?", ids.get(i)).get(0).get("status"))
                    .as("customer %d", i).isEqualTo(i == 2 ? "dead" : "done");
            assertThat(zendesk.user(users.get(i))).as("user %d", i).containsEntry("name", i == 2 ? "Ada First" : "Ada Second");
        }
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT reason, attempts FROM dead_letter WHERE payload LIKE ?",
                "%taken-" + run + "@%")).singleElement().satisfies(row -> {
                    assertThat((String) row.get("reason")).contains("UserUpdateError")
                            .contains("is already being used by another user");
                    assertThat(row.get("attempts")).isEqualTo(1);
                });
        assertThat(auditLine(ids.get(0))).startsWith("updated")
                .contains("zendesk update_many /api/v2/users (5 records) (its batch's call): updated");
    }

    private static void agent(String id, String email, String account) {
        given().contentType(ContentType.JSON).body(Map.of("external_id", id, "email", email, "last_name", "Agent",
                "account_code", account)).when().post("/webhooks/billing/agents").then().statusCode(202);
    }

    @Test
    void anAgentsAccountIsWrittenAsTheUsersOrganizationIdAndReadBack() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        long first = 360_000_000L + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000L);
        long second = first + 1;
        LinkedRecords.link(DATABASE, "account", "billing", "acc1-" + run, "zendesk", Long.toString(first));
        LinkedRecords.link(DATABASE, "account", "billing", "acc2-" + run, "zendesk", Long.toString(second));

        agent("a-" + run, run + "@example.com", "acc1-" + run);
        String id = (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT system_id FROM id_map WHERE entity = 'agent'"
                + " AND system = 'zendesk' AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'agent'"
                + " AND system = 'billing' AND system_id = ?)", "a-" + run).get(0).get("system_id");
        // billing's account code written as Zendesk's organization id, a number as Zendesk takes it
        assertThat(String.valueOf(zendesk.user(id).get("organization_id"))).isEqualTo(Long.toString(first));

        agent("a-" + run, run + "@example.com", "acc2-" + run);
        await().atMost(Duration.ofSeconds(30)).until(() -> Long.toString(second).equals(String.valueOf(zendesk.user(id)
                .get("organization_id"))));
        // sent as a number, as Zendesk takes it
        assertThat(zendesk.received("PUT", ZendeskStub.USERS + "/" + id)).last()
                .satisfies(update -> assertThat(update.body()).contains("\"organization_id\":" + second));

        Map<String, Object> fetched = types.of("zendesk").fetch("agent", "zendesk", id).orElseThrow();
        assertThat(registry.current().transformer().toCanonicalUnhashed("agent", "zendesk", fetched).fields())
                .containsEntry("account", second);
    }
}
