package io.syncline.connector.rest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.failure.TargetRejectedException;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.HubSpotStubResource;
import io.syncline.testsupport.InboxBacklog;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static io.syncline.testsupport.HubSpotStub.CONTACTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * CRM contacts through the webhook, the durable inbox and the apply template's {@code HttpTargetWriter} into a stub of
 * HubSpot's CRM v3 contacts API: created, then updated at their HubSpot id; a contact HubSpot
 * refuses (400) is a dead letter after one attempt; a 429 is retried no earlier than its
 * Retry-After and a 503 with backoff, then applied.
 */
@QuarkusTest
@TestProfile(HttpTargetFlowTest.QuickRetries.class)
@WithTestResource(HubSpotStubResource.class)
class HttpTargetFlowTest {

    static final String WEBHOOK = "/webhooks/crm/contacts";

    /**
     * Retries in fractions of a second, but a maximum delay above the Retry-After used here; the
     * HubSpot route listed for apply batches.
     */
    public static class QuickRetries implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("syncline.inbox.retry-delay", "200ms", "syncline.inbox.max-retry-delay", "5s",
                    "syncline.inbox.max-attempts", "4",
                    // listed, although its type writes no batches: the first batch is refused
                    "syncline.inbox.apply-batch.routes", "contact-crm-to-hubspot");
        }
    }

    HubSpotStub hubspot;

    private static long accept(Map<String, Object> contact) {
        Integer inboxId = given().contentType(ContentType.JSON).body(contact)
                .when().post(WEBHOOK)
                .then().statusCode(202).body("status", equalTo("accepted"))
                .extract().path("inboxId");
        return inboxId.longValue();
    }

    private static Map<String, Object> contact(String id, String email, String lastName, String stage) {
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("id", id);
        contact.put("email", email);
        contact.put("firstName", "Ada");
        contact.put("lastName", lastName);
        contact.put("lifecycleStage", stage);
        return contact;
    }

    /** The POSTs HubSpot received for the contact with this e-mail. */
    private List<HubSpotStub.Received> postsOf(String email) {
        return hubspot.received("POST", CONTACTS).stream()
                .filter(post -> post.body().contains("\"" + email + "\"")).toList();
    }

    private static List<Map<String, Object>> query(String sql, Object... parameters) {
        return TestDatabase.queryOn(HubSpotStubResource.DATABASE_URL, sql, parameters);
    }

    private static List<Map<String, Object>> awaitRows(String sql, Object... parameters) {
        return TestDatabase.awaitRowsOn(HubSpotStubResource.DATABASE_URL, sql, parameters);
    }

    /** The inbox event's final status (done, held or dead), once processing has reached one. */
    private static String finalStatus(long inboxId) {
        return (String) awaitRows("SELECT status FROM inbox WHERE id = ? AND status IN ('done', 'held', 'dead')", inboxId)
                .get(0).get("status");
    }

    private static Map<String, Object> inbox(long id) {
        return query("SELECT status, attempts FROM inbox WHERE id = ?", id).get(0);
    }

    @Test
    void contactIsCreatedInHubSpotThenUpdatedAtItsHubSpotId() {
        String id = "c-" + UUID.randomUUID();
        String email = id + "@example.com";

        long created = accept(contact(id, " " + email.toUpperCase() + " ", "Lovelace", "lead"));
        assertThat(finalStatus(created)).isEqualTo("done");

        HubSpotStub.Received post = postsOf(email).get(0);
        assertThat(post.header("Authorization")).isEqualTo("Bearer " + HubSpotStubResource.TOKEN);
        assertThat(post.json()).isEqualTo(Map.of("properties", Map.of("crm_contact_id", id, "email", email,
                "firstname", "Ada", "lastname", "Lovelace", "lifecyclestage", "lead")));
        String hubspotId = (String) awaitRows("SELECT system_id FROM id_map WHERE entity = 'contact'"
                + " AND system = 'hubspot' AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'contact'"
                + " AND system = 'crm' AND system_id = ?)", id).get(0).get("system_id");
        assertThat(hubspot.contact(hubspotId)).containsEntry("lastname", "Lovelace");

        long updated = accept(contact(id, email, "King", "customer"));
        assertThat(finalStatus(updated)).isEqualTo("done");

        assertThat(postsOf(email)).hasSize(1);
        assertThat(hubspot.received("PATCH", CONTACTS + "/" + hubspotId)).singleElement()
                .satisfies(patch -> assertThat(patch.json()).isEqualTo(Map.of("properties", Map.of("crm_contact_id", id,
                        "email", email, "firstname", "Ada", "lastname", "King", "lifecyclestage", "customer"))));
        assertThat(hubspot.contact(hubspotId)).containsEntry("lastname", "King").containsEntry("lifecyclestage", "customer");
    }

    @Test
    void aBacklogForHubSpotIsRefusedABatchAndEachContactIsPostedOnceOnItsOwn() {
        String run = "backlog-" + UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> contacts = IntStream.range(0, 8)
                .mapToObj(i -> contact(run + "-" + i, run + "-" + i + "@example.com", "Backlog", "lead")).toList();

        List<Long> ids = InboxBacklog.storeIn(HubSpotStubResource.DATABASE_URL, "hubspot", contacts);

        // the route is listed for batches, but an HTTP write is outside every transaction a batch
        // could roll back: the batch is refused before its first write (readiness says so below),
        // and its events are applied one at a time
        assertThat(awaitRows("SELECT count(*) AS n FROM inbox WHERE id = ANY(?) AND status = 'done' HAVING count(*) = ?",
                ids.toArray(Long[]::new), (long) ids.size())).isNotEmpty();
        contacts.forEach(contact -> assertThat(postsOf((String) contact.get("email"))).hasSize(1));
        given().when().get("/q/health/ready").then()
                .body("checks.find { it.name == 'syncline-apply-batches' }.data['route.contact-crm-to-hubspot']",
                        equalTo("one event at a time: it wrote outside the state store's transaction"));
    }

    @Test
    void contactHubSpotRefusesIsADeadLetterAfterOneAttemptWithHubSpotsReason() {
        String id = "c-" + UUID.randomUUID();
        String email = id + "@example.com";

        long inboxId = accept(contact(id, email, "Refused", "prospect"));

        assertThat(finalStatus(inboxId)).isEqualTo("dead");
        assertThat(inbox(inboxId)).containsEntry("attempts", 1);
        Map<String, Object> deadLetter = query(
                "SELECT route_id, reason, exception_type, attempts FROM dead_letter WHERE inbox_id = ?", inboxId).get(0);
        assertThat(deadLetter).containsEntry("route_id", "contact-crm-to-hubspot")
                .containsEntry("exception_type", TargetRejectedException.class.getName())
                .containsEntry("attempts", 1);
        assertThat((String) deadLetter.get("reason"))
                .startsWith("hubspot rejected POST " + CONTACTS + ": 400 Property values were not valid:")
                .contains("prospect was not one of the allowed options")
                .endsWith("(VALIDATION_ERROR)");
        assertThat(postsOf(email)).hasSize(1);
    }

    @Test
    void rateLimitedContactIsSentAgainNoEarlierThanRetryAfterAndApplied() {
        String id = "c-" + UUID.randomUUID();
        String email = id + "@example.com";
        hubspot.rateLimitNext(2);

        long inboxId = accept(contact(id, email, "Patient", "lead"));

        assertThat(finalStatus(inboxId)).isEqualTo("done");
        assertThat(inbox(inboxId)).containsEntry("attempts", 2);
        List<HubSpotStub.Received> posts = postsOf(email);
        assertThat(posts).hasSize(2);
        assertThat(Duration.between(posts.get(0).at(), posts.get(1).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(query("SELECT 1 FROM dead_letter WHERE inbox_id = ?", inboxId)).isEmpty();
    }

    @Test
    void unavailableHubSpotIsRetriedWithBackoffAndTheContactApplied() {
        String id = "c-" + UUID.randomUUID();
        String email = id + "@example.com";
        hubspot.failNext(503).failNext(502);

        long inboxId = accept(contact(id, email, "Persistent", "lead"));

        assertThat(finalStatus(inboxId)).isEqualTo("done");
        assertThat(inbox(inboxId)).containsEntry("attempts", 3);
        assertThat(postsOf(email)).hasSize(3);
        assertThat(query("SELECT 1 FROM dead_letter WHERE inbox_id = ?", inboxId)).isEmpty();
    }
}
