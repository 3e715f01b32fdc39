package io.syncline.connector.klaviyo;

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
import io.syncline.testsupport.CdpStubResource;
import io.syncline.testsupport.FastRetriesProfile;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.KlaviyoStub;
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
 * Klaviyo profiles through {@code type: klaviyo} (the preset, and the klaviyo plug-in's JSON:API
 * resource objects, 409 link and deletion jobs), against a stub of Klaviyo's API revision 2026-07-15,
 * with the state store on PostgreSQL: billing's audience reaches Klaviyo as profiles (created, updated,
 * deleted by a data-privacy deletion job), a person Klaviyo already has is linked from its 409's
 * {@code duplicate_profile_id} rather than failing; Klaviyo's 429 waited out as its
 * {@code Retry-After} says; its JSON:API error a dead letter's reason; profiles pulled to the end, 100
 * a page, by {@code links.next}; Klaviyo's signed system webhook events taken, each profile fetched,
 * and refused when the signature is wrong. Every request Klaviyo received is checked against Klaviyo's
 * whole published OpenAPI description, committed in this repository.
 */
@QuarkusTest
@TestProfile(FastRetriesProfile.class)
@WithTestResource(CdpStubResource.class)
class KlaviyoPresetTest {

    static final String DATABASE = CdpStubResource.DATABASE_URL;
    static final ApiDescription DESCRIPTION = ApiDescription.published("klaviyo/stable.json");

    KlaviyoStub klaviyo;

    @Inject
    SystemTypes types;

    @Inject
    SyncModelRegistry registry;

    /** Every request carried the key and the revision, is an operation of Klaviyo's published description, and follows it. */
    @AfterEach
    void everyRequestFollowsKlaviyosPublishedDescription() {
        assertThat(DESCRIPTION.whole()).isTrue();
        assertThat(klaviyo.received()).allSatisfy(request -> {
            assertThat(request.header("Authorization")).isEqualTo("Klaviyo-API-Key " + CdpStubResource.KLAVIYO_KEY);
            assertThat(request.header("revision")).isEqualTo("2026-07-15");
        });
        assertThat(DESCRIPTION.violations(klaviyo.received())).as(DESCRIPTION.used()).isEmpty();
    }

    private static void audience(String id, String email, String lastName, boolean deleted) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("external_id", id, "email", email, "first_name", "Ada",
                "last_name", lastName));
        if (deleted) {
            body.put("deleted", true);
        }
        given().contentType(ContentType.JSON).body(body).when().post("/webhooks/billing/audience").then().statusCode(202);
    }

    static String profileId(String billingId) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT system_id FROM id_map WHERE entity = 'audience'"
                + " AND system = 'klaviyo' AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'audience'"
                + " AND system = 'billing' AND system_id = ?)", billingId).get(0).get("system_id");
    }

    static String lastStatus(String email) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT status FROM inbox WHERE payload LIKE ?"
                + " AND status IN ('done', 'held', 'dead') ORDER BY id DESC", "%" + email + "%").get(0).get("status");
    }

    static String run() {
        return "kl" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anAudienceMemberIsCreatedAsAProfileThenUpdatedThenDeletedByADeletionJob() {
        String id = run();
        String email = id + "@example.com";

        audience(id, email, "Lovelace", false);
        String profile = profileId(id);
        assertThat(klaviyo.profile(profile)).containsEntry("email", email).containsEntry("external_id", id)
                .containsEntry("first_name", "Ada").containsEntry("last_name", "Lovelace");
        assertThat(klaviyo.received("POST", KlaviyoStub.PROFILES)).last().satisfies(create -> {
            assertThat(create.header("Content-Type")).startsWith(KlaviyoStub.MEDIA_TYPE);
            assertThat(create.json()).isEqualTo(Map.of("data", Map.of("type", "profile", "attributes",
                    Map.of("external_id", id, "email", email, "first_name", "Ada", "last_name", "Lovelace"))));
        });

        audience(id, email, "King", false);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "King".equals(klaviyo.profile(profile).get("last_name")));
        assertThat(klaviyo.received("PATCH", KlaviyoStub.PROFILES + "/" + profile)).singleElement()
                .satisfies(update -> assertThat(update.json()).extractingByKey("data").isInstanceOfSatisfying(Map.class,
                        data -> assertThat(data).containsEntry("type", "profile").containsEntry("id", profile)));

        audience(id, email, "King", true);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> klaviyo.profile(profile) == null);
        assertThat(klaviyo.received("POST", KlaviyoStub.DELETION_JOBS)).last().satisfies(job -> assertThat(job.json())
                .isEqualTo(Map.of("data", Map.of("type", "data-privacy-deletion-job", "attributes",
                        Map.of("profile", Map.of("data", Map.of("type", "profile", "id", profile, "attributes", Map.of())))))));
    }

    @Test
    void aPersonKlaviyoHasAlreadyIsLinkedFromTheDuplicateProfileIdOfIts409() {
        String id = run();
        String email = id + "@example.com";
        String existing = klaviyo.add(Map.of("email", email, "last_name", "Hopper"));

        audience(id, email, "Hopper-King", false);

        assertThat(profileId(id)).isEqualTo(existing);
        assertThat(lastStatus(email)).isEqualTo("done");
        assertThat(klaviyo.profile(existing)).containsEntry("last_name", "Hopper-King").containsEntry("external_id", id);
        assertThat(klaviyo.received("PATCH", KlaviyoStub.PROFILES + "/" + existing)).hasSize(1);
    }

    @Test
    void klaviyosRateLimitIsWaitedOutAsItsRetryAfterSaysAndTheWriteSentAgain() {
        String id = run();
        String email = id + "@example.com";
        int before = klaviyo.received().size();
        klaviyo.rateLimitNext(1);

        audience(id, email, "Throttled", false);
        assertThat(klaviyo.profile(profileId(id))).containsEntry("last_name", "Throttled");
        assertThat(lastStatus(email)).isEqualTo("done");

        List<HubSpotStub.Received> calls = klaviyo.received().subList(before, klaviyo.received().size());
        assertThat(calls).hasSizeGreaterThan(1);
        assertThat(Duration.between(calls.get(0).at(), calls.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void klaviyosErrorIsADeadLetterNamingItsDetail() {
        String id = run();
        String email = id + "@example.com";
        klaviyo.respondNext("POST", KlaviyoStub.PROFILES, 400, KlaviyoStub.error(400, "invalid", "Invalid input.",
                "Invalid email address: " + email));

        audience(id, email, "Refused", false);
        assertThat(lastStatus(email)).isEqualTo("dead");
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT reason, attempts FROM dead_letter WHERE payload LIKE ?", "%" + email + "%"))
                .singleElement().satisfies(row -> {
                    assertThat((String) row.get("reason")).contains("klaviyo rejected POST /api/profiles: 400 Invalid email address: "
                            + email + " (invalid)");
                    assertThat(row.get("attempts")).isEqualTo(1);
                });
    }

    @Test
    void aPullReadsEveryPageByLinksNextAHundredAPage() throws Exception {
        String run = run();
        IntStream.range(0, 230).forEach(i -> klaviyo.add(Map.of("email", run + "-" + i + "@example.com", "last_name", run)));
        int before = klaviyo.received().size();
        var model = registry.current().model();
        List<Map<String, Object>> records = new ArrayList<>();

        PullResult result = types.of("klaviyo").puller().pull(new PullRequest("listener", "klaviyo", model.systems().get("klaviyo"),
                model.entities().get("listener").mappings().get("klaviyo"), 100), records::addAll);

        assertThat(result.reachedEnd()).isTrue();
        // each resource object read as its attributes with its id beside them
        assertThat(records.stream().filter(record -> run.equals(record.get("last_name"))))
                .hasSize(230).allSatisfy(record -> assertThat(record).containsKeys("id", "email").doesNotContainKey("attributes"));
        List<HubSpotStub.Received> pages = klaviyo.received().subList(before, klaviyo.received().size()).stream()
                .filter(request -> (request.method() + " " + request.path()).equals("GET " + KlaviyoStub.PROFILES)).toList();
        assertThat(pages).allSatisfy(page -> assertThat(page.query()).contains("page%5Bsize%5D=100"));
        assertThat(pages.subList(1, pages.size())).allSatisfy(page -> assertThat(page.query()).contains("page%5Bcursor%5D="));
        // the last page's links.next is null; no request follows it
        assertThat(pages).hasSize((int) Math.ceil(records.size() / 100.0));
    }

    private static Response deliver(String body, String timestamp, String signature) {
        return given().contentType(ContentType.JSON).header("Klaviyo-Timestamp", timestamp).header("Klaviyo-Signature", signature)
                .header("Klaviyo-Webhook-Id", "01KP4928STE8FKCWB6WDHZ4ZB7").body(body).when().post("/webhooks/klaviyo/profiles");
    }

    @Test
    void klaviyosSignedWebhookEventsAreTakenEachProfileFetchedAndOnesWithAWrongSignatureRefused() {
        String run = run();
        String email = run + "@example.com";
        String profile = klaviyo.add(Map.of("email", email, "last_name", "Noether"));
        String body = KlaviyoStub.events("event:klaviyo.subscribed_to_email_marketing", profile);
        String secret = CdpStubResource.KLAVIYO_SECRET;
        String now = KlaviyoStub.timestamp();
        String stale = KlaviyoStub.timestamp().replaceFirst("\\d{4} ", "2020 ");

        assertThat(deliver(body, now, KlaviyoStub.sign("not-the-secret-key", body, now)).statusCode()).isEqualTo(401);
        assertThat(deliver(body.replace(profile, "01J0"), now, KlaviyoStub.sign(secret, body, now)).statusCode()).isEqualTo(401);
        // the timestamp is signed after the body: one signed before it does not match
        assertThat(deliver(body, now, KlaviyoStub.sign(secret, "", now + body)).statusCode()).isEqualTo(401);
        assertThat(deliver(body, stale, KlaviyoStub.sign(secret, body, stale)).statusCode()).isEqualTo(401);
        assertThat(given().contentType(ContentType.JSON).body(body).when().post("/webhooks/klaviyo/profiles").statusCode())
                .isEqualTo(401);
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT id FROM inbox WHERE payload LIKE ?", "%" + profile + "%")).isEmpty();

        assertThat(deliver(body, now, KlaviyoStub.sign(secret, body, now)).statusCode()).isEqualTo(202);
        assertThat(TestDatabase.awaitRowsOn(DATABASE, "SELECT email, last_name FROM demo_contact WHERE external_id = ?", profile))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("email", email).containsEntry("last_name", "Noether"));
        assertThat(klaviyo.received("GET", KlaviyoStub.PROFILES + "/" + profile)).isNotEmpty();

        // the event names the profile only: the name it is taken with is the one a fetch reads then
        klaviyo.profile(profile).put("last_name", "Noether-Emmy");
        String again = KlaviyoStub.events("event:klaviyo.updated_email_preferences", profile);
        String later = KlaviyoStub.timestamp();
        assertThat(deliver(again, later, KlaviyoStub.sign(secret, again, later)).statusCode()).isEqualTo(202);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "Noether-Emmy".equals(TestDatabase.queryOn(DATABASE,
                "SELECT last_name FROM demo_contact WHERE external_id = ?", profile).get(0).get("last_name")));
    }
}
