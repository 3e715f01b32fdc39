package io.syncline.connector.intercom;

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
import io.syncline.testsupport.FastRetriesProfile;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.IntercomStub;
import io.syncline.testsupport.SupportDeskStubResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
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
 * Intercom contacts through {@code type: intercom} (the preset, and the intercom plug-in's search),
 * against a stub of Intercom's API 2.11, with the state store on PostgreSQL: billing's subscribers
 * reach Intercom as contacts (created, updated, deleted), a person Intercom has is found by its
 * search and linked, not created twice; Intercom's 429 waited out until its {@code X-RateLimit-Reset};
 * its error body a dead letter's reason; contacts pulled to the end, 150 a page, by the
 * {@code starting_after} cursor; Intercom's signed notifications taken into billing's table and
 * refused when the signature is wrong. Every request Intercom received is checked against Intercom's
 * published OpenAPI description (the whole file where it is placed, else the excerpt of it kept in
 * this repository).
 */
@QuarkusTest
@TestProfile(FastRetriesProfile.class)
@WithTestResource(SupportDeskStubResource.class)
class IntercomPresetTest {

    static final String DATABASE = SupportDeskStubResource.DATABASE_URL;
    static final ApiDescription DESCRIPTION = ApiDescription.published("intercom/api.intercom.io.yaml");

    IntercomStub intercom;

    @Inject
    SystemTypes types;

    @Inject
    SyncModelRegistry registry;

    /** Every request carried the access token and the API version, and follows Intercom's published description. */
    @AfterEach
    void everyRequestFollowsIntercomsPublishedDescription() {
        assertThat(intercom.received()).allSatisfy(request -> {
            assertThat(request.header("Authorization")).isEqualTo("Bearer " + SupportDeskStubResource.INTERCOM_TOKEN);
            assertThat(request.header("Intercom-Version")).isEqualTo("2.11");
        });
        assertThat(DESCRIPTION.violations(intercom.received())).as(DESCRIPTION.used()).isEmpty();
    }

    private static void subscriber(String id, String email, String name, boolean deleted) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("external_id", id, "email", email, "last_name", name));
        if (deleted) {
            body.put("deleted", true);
        }
        given().contentType(ContentType.JSON).body(body).when().post("/webhooks/billing/subscribers").then().statusCode(202);
    }

    static String intercomId(String billingId) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT system_id FROM id_map WHERE entity = 'subscriber'"
                + " AND system = 'intercom' AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'subscriber'"
                + " AND system = 'billing' AND system_id = ?)", billingId).get(0).get("system_id");
    }

    static String lastStatus(String email) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT status FROM inbox WHERE payload LIKE ?"
                + " AND status IN ('done', 'held', 'dead') ORDER BY id DESC", "%" + email + "%").get(0).get("status");
    }

    static String run() {
        return "ic" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aSubscriberIsCreatedInIntercomThenUpdatedThenDeleted() {
        String id = run();
        String email = id + "@example.com";
        int creates = intercom.received("POST", IntercomStub.CONTACTS).size();

        subscriber(id, email, "Ada Lovelace", false);
        String contactId = intercomId(id);
        assertThat(intercom.contact(contactId)).containsEntry("email", email).containsEntry("name", "Ada Lovelace")
                .containsEntry("external_id", id).containsEntry("role", "user");
        List<HubSpotStub.Received> posted = intercom.received("POST", IntercomStub.CONTACTS);
        assertThat(posted).hasSize(creates + 1);
        assertThat(posted.get(posted.size() - 1).json()).isEqualTo(Map.of("external_id", id, "email", email, "name", "Ada Lovelace"));

        subscriber(id, email, "Ada King", false);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> "Ada King".equals(intercom.contact(contactId).get("name")));
        assertThat(intercom.received("PUT", IntercomStub.CONTACTS + "/" + contactId)).last()
                .satisfies(update -> assertThat(update.json()).containsEntry("name", "Ada King"));

        subscriber(id, email, "Ada King", true);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> intercom.contact(contactId) == null);
        assertThat(intercom.received("DELETE", IntercomStub.CONTACTS + "/" + contactId)).hasSize(1);
        assertThat(intercom.received("POST", IntercomStub.CONTACTS)).hasSize(creates + 1);
    }

    @Test
    void aPersonIntercomHasIsFoundByItsSearchAndLinkedNotCreatedTwice() {
        String id = run();
        String email = id + "@example.com";
        String existing = intercom.add(Map.of("email", email, "name", "Grace Hopper"));
        int creates = intercom.received("POST", IntercomStub.CONTACTS).size();

        subscriber(id, email.toUpperCase(), "Grace Hopper", false);
        assertThat(intercomId(id)).isEqualTo(existing);
        assertThat(lastStatus(email.toUpperCase())).isEqualTo("done");

        assertThat(intercom.withEmail(email)).containsExactly(existing);
        assertThat(intercom.received("POST", IntercomStub.CONTACTS)).hasSize(creates);
        assertThat(intercom.received("POST", IntercomStub.SEARCH)).anySatisfy(search -> assertThat(search.json())
                .isEqualTo(Map.of("query", Map.of("field", "email", "operator", "=", "value", email),
                        "pagination", Map.of("per_page", 150))));
        assertThat(intercom.contact(existing)).containsEntry("external_id", id);
    }

    @Test
    void intercomsRateLimitIsWaitedOutUntilItsResetAndTheWriteSentAgain() {
        String id = run();
        String email = id + "@example.com";
        int before = intercom.received().size();
        intercom.rateLimitNext(1);

        subscriber(id, email, "Rate Limited", false);
        assertThat(intercom.contact(intercomId(id))).containsEntry("name", "Rate Limited");
        assertThat(lastStatus(email)).isEqualTo("done");

        List<HubSpotStub.Received> calls = intercom.received().subList(before, intercom.received().size());
        assertThat(calls.size()).isGreaterThan(1);
        // answered 429 with X-RateLimit-Reset three seconds on, and no Retry-After: the next call waits for
        // the reset, and the event waits with it, pending, though the wait outlasts the profile's four attempts
        assertThat(Duration.between(calls.get(0).at(), calls.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat((Integer) TestDatabase.queryOn(DATABASE, "SELECT attempts FROM inbox WHERE payload LIKE ? ORDER BY id DESC",
                "%" + email + "%").get(0).get("attempts")).isGreaterThan(1);
    }

    @Test
    void intercomsValidationErrorIsADeadLetterNamingItsMessage() {
        String id = run();
        String email = id + "@example.com";
        intercom.respondNext("POST", IntercomStub.CONTACTS, 400, IntercomStub.error("parameter_invalid",
                "The email address " + email + " is not valid"));

        subscriber(id, email, "Refused", false);
        assertThat(lastStatus(email)).isEqualTo("dead");
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT reason, attempts FROM dead_letter WHERE payload LIKE ?", "%" + email + "%"))
                .singleElement().satisfies(row -> {
                    assertThat((String) row.get("reason")).contains("intercom rejected POST /contacts: 400 The email address "
                            + email + " is not valid (parameter_invalid)");
                    assertThat(row.get("attempts")).isEqualTo(1);
                });
    }

    @Test
    void aPullReadsEveryPageByTheStartingAfterCursorAHundredAndFiftyAPage() throws Exception {
        String run = run();
        IntStream.range(0, 320).forEach(i -> intercom.add(Map.of("email", run + "-" + i + "@example.com", "name", "Paged")));
        int before = intercom.received().size();
        var model = registry.current().model();
        List<Map<String, Object>> records = new ArrayList<>();

        PullResult result = types.of("intercom").puller().pull(new PullRequest("member", "intercom", model.systems().get("intercom"),
                model.entities().get("member").mappings().get("intercom"), 150), records::addAll);

        assertThat(result.reachedEnd()).isTrue();
        assertThat(records.stream().filter(record -> String.valueOf(record.get("email")).startsWith(run))).hasSize(320);
        List<HubSpotStub.Received> pages = intercom.received().subList(before, intercom.received().size()).stream()
                .filter(request -> (request.method() + " " + request.path()).equals("GET " + IntercomStub.CONTACTS)).toList();
        assertThat(pages).allSatisfy(page -> assertThat(page.query()).contains("per_page=150"));
        assertThat(pages.subList(1, pages.size())).allSatisfy(page -> assertThat(page.query()).contains("starting_after="));
        // the last page names no next one; no request follows it
        assertThat(pages).hasSize((int) Math.ceil(records.size() / 150.0));
    }

    private static Response notify(String body, String signature) {
        return given().contentType(ContentType.JSON).header("X-Hub-Signature", signature).body(body)
                .when().post("/webhooks/intercom/contacts");
    }

    @Test
    void intercomsSignedNotificationsAreTakenAndOnesWithAWrongSignatureRefused() {
        String contactId = Long.toHexString(UUID.randomUUID().getMostSignificantBits() & Long.MAX_VALUE);
        String email = "member-" + contactId + "@example.com";
        String event = IntercomStub.notification("contact.user.created", Map.of("id", contactId, "email", email,
                "name", "Hopper", "role", "user", "created_at", 1_719_492_784L));

        assertThat(notify(event, IntercomStub.sign("not-the-client-secret", event)).statusCode()).isEqualTo(401);
        assertThat(notify(event.replace("Hopper", "Mallory"), IntercomStub.sign(SupportDeskStubResource.INTERCOM_SECRET, event))
                .statusCode()).isEqualTo(401);
        assertThat(notify(event, IntercomStub.sign(SupportDeskStubResource.INTERCOM_SECRET, event).replace("sha1=", "sha256="))
                .statusCode()).isEqualTo(401);
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT id FROM inbox WHERE payload LIKE ?", "%" + email + "%")).isEmpty();

        assertThat(notify(event, IntercomStub.sign(SupportDeskStubResource.INTERCOM_SECRET, event)).statusCode()).isEqualTo(202);
        Map<String, Object> row = TestDatabase.awaitRowsOn(DATABASE, "SELECT email, last_name FROM demo_contact WHERE external_id = ?",
                contactId).get(0);
        assertThat(row).containsEntry("email", email).containsEntry("last_name", "Hopper");

        String updated = IntercomStub.notification("contact.user.updated", Map.of("id", contactId, "email", email,
                "name", "Hopper-King", "role", "user", "created_at", 1_719_492_784L));
        assertThat(notify(updated, IntercomStub.sign(SupportDeskStubResource.INTERCOM_SECRET, updated)).statusCode()).isEqualTo(202);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "Hopper-King".equals(TestDatabase.queryOn(DATABASE,
                "SELECT last_name FROM demo_contact WHERE external_id = ?", contactId).get(0).get("last_name")));
    }
}
