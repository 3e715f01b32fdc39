package io.syncline.webhook;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.HubSpotStubResource;
import io.syncline.testsupport.TestDatabase;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * Webhook bodies that carry several events, against stubs that follow the senders' contracts:
 * HubSpot posts a JSON array of thin events (signed v3), Xero an object whose {@code events} it
 * first sends empty to check the endpoint (intent to receive), signed with a base64 HMAC of the
 * body. Each event is its own inbox entry, stored with the others of its request in one
 * transaction before the 2xx; an event id delivered before is refused. HubSpot's thin events are
 * fetched from its API ({@code webhook.fetch}) before they are mapped and written to billing.
 */
@QuarkusTest
@TestProfile(WebhookEventsTest.Secrets.class)
@WithTestResource(value = HubSpotStubResource.class,
        initArgs = @ResourceArg(name = HubSpotStubResource.FOLDER, value = "webhook-events-routes"))
class WebhookEventsTest {

    static final String HUBSPOT_SECRET = "hubspot-client-secret-0000";
    static final String XERO_KEY = "OSd0eLlVIY9ZhViEqlDUh4+6n6M+Lo+eDaEJheJ6OCCgWwIz2D3JIAU6jPMipHRbgKTLz2uJ+xiACXGDBLrgdA==";
    static final String HUBSPOT = "/webhooks/hubspot/contacts";
    static final String XERO = "/webhooks/xero/contacts";
    private static final AtomicLong EVENT_IDS = new AtomicLong(System.currentTimeMillis() * 1000);

    public static class Secrets implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("HUBSPOT_CLIENT_SECRET", HUBSPOT_SECRET, "XERO_WEBHOOK_KEY", XERO_KEY);
        }
    }

    HubSpotStub hubspot;

    /** A thin event as HubSpot's webhooks send them: the object's id and what changed, never the object. */
    static String thinEvent(long eventId, String objectId, String property, String value) {
        return "{\"eventId\":" + eventId + ",\"subscriptionId\":234567,\"portalId\":12345678,\"appId\":987654,"
                + "\"occurredAt\":" + System.currentTimeMillis() + ",\"subscriptionType\":\"contact.propertyChange\","
                + "\"attemptNumber\":0,\"objectId\":" + objectId + ",\"propertyName\":\"" + property + "\","
                + "\"propertyValue\":\"" + value + "\",\"changeSource\":\"CRM_UI\",\"sourceId\":\"userId:45678\"}";
    }

    /** HubSpot's v3 signature: base64 HMAC-SHA256 of method + URL + body + timestamp, with the client secret. */
    static Response postHubSpot(String body) {
        String url = "http://localhost:" + RestAssured.port + HUBSPOT;
        String timestamp = Long.toString(System.currentTimeMillis());
        return given().contentType(ContentType.JSON)
                .header("X-HubSpot-Signature-v3", base64Hmac(HUBSPOT_SECRET, "POST" + url + body + timestamp))
                .header("X-HubSpot-Request-Timestamp", timestamp)
                .body(body).when().post(HUBSPOT);
    }

    static Response postXero(String body, String signature) {
        return given().contentType(ContentType.JSON).header("x-xero-signature", signature).body(body).when().post(XERO);
    }

    static String base64Hmac(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** This world's own database ({@link HubSpotStubResource}): another application's inbox is not shared. */
    static final String DATABASE = HubSpotStubResource.databaseOf("webhook-events-routes");

    static List<Map<String, Object>> query(String sql, Object... parameters) {
        return TestDatabase.queryOn(DATABASE, sql, parameters);
    }

    private static long stored(String eventId) {
        return (Long) query("SELECT COUNT(*) AS n FROM inbox WHERE source_system = 'hubspot' AND event_id = ?",
                eventId).get(0).get("n");
    }

    @Test
    void aBatchOf100ThinEventsIsStoredBeforeTheAnswerThenEachIsFetchedAndAppliedOnce() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> events = new ArrayList<>();
        List<Long> eventIds = new ArrayList<>();
        List<String> contacts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String contact = hubspot.add(Map.of("email", "thin-" + run + "-" + i + "@example.com", "firstname", "Ada",
                    "lastname", "Thin " + i));
            long eventId = EVENT_IDS.incrementAndGet();
            contacts.add(contact);
            eventIds.add(eventId);
            events.add(thinEvent(eventId, contact, "lastname", "Thin " + i));
        }

        postHubSpot("[" + String.join(",", events) + "]")
                .then().statusCode(202)
                .body("status", equalTo("accepted")).body("accepted", equalTo(100)).body("duplicates", equalTo(0))
                .body("events", hasSize(100));

        // stored when answered: no wait, one entry an event, the thin event itself as its payload
        List<Map<String, Object>> rows = query("SELECT record_key, payload FROM inbox WHERE source_system = 'hubspot'"
                + " AND event_id = ANY (?) ORDER BY id", (Object) eventIds.stream().map(String::valueOf).toArray(String[]::new));
        assertThat(rows).extracting(row -> row.get("record_key")).containsExactlyElementsOf(contacts);
        assertThat(rows.get(0).get("payload").toString()).contains("\"propertyName\":\"lastname\"").doesNotStartWith("[");

        // each contact fetched from HubSpot, then written to billing with what the fetch returned
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(query(
                "SELECT external_id FROM demo_contact WHERE email LIKE ?", "thin-" + run + "-%")).hasSize(100));
        assertThat(query("SELECT last_name FROM demo_contact WHERE external_id = ?", contacts.get(7)))
                .singleElement().satisfies(row -> assertThat(row.get("last_name")).isEqualTo("Thin 7"));

        // HubSpot retries a whole request: each event id it carries again is refused, a new one stored
        long fresh = EVENT_IDS.incrementAndGet();
        postHubSpot("[" + events.get(0) + "," + events.get(99) + "," + thinEvent(fresh, contacts.get(5), "firstname", "Ada")
                + "]")
                .then().statusCode(202)
                .body("accepted", equalTo(1)).body("duplicates", equalTo(2))
                .body("events[0].status", equalTo("duplicate")).body("events[2].status", equalTo("accepted"));
        assertThat(stored(Long.toString(eventIds.get(0)))).isEqualTo(1);
        assertThat(query("SELECT 1 FROM audit_log WHERE action = 'skipped-duplicate' AND source_system = 'hubspot'"
                + " AND event_key = ?", "event:" + eventIds.get(99))).isNotEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(query(
                "SELECT status FROM inbox WHERE source_system = 'hubspot' AND event_id = ?", Long.toString(fresh)))
                .singleElement().satisfies(row -> assertThat(row.get("status")).isEqualTo("done")));

        // once each: one fetch and one write per event (contact 5 twice: its second, new event)
        for (int i = 0; i < 100; i++) {
            String contact = contacts.get(i);
            assertThat(hubspot.received("GET", HubSpotStub.CONTACTS + "/" + contact)).as("fetches of " + contact)
                    .hasSize(i == 5 ? 2 : 1);
            assertThat(query("SELECT 1 FROM audit_log WHERE source_system = 'hubspot' AND source_id = ?"
                    + " AND action IN ('created', 'updated')", contact)).as("writes of " + contact).hasSize(1);
        }
    }

    @Test
    void aThinEventWhoseRecordIsGoneIsADeadLetterAtOnce() {
        long eventId = EVENT_IDS.incrementAndGet();
        postHubSpot("[" + thinEvent(eventId, "987654321", "email", "gone@example.com") + "]").then().statusCode(202);

        Map<String, Object> letter = Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> query(
                "SELECT reason, attempts FROM dead_letter WHERE source_system = 'hubspot' AND payload LIKE ?",
                "%\"eventId\":" + eventId + "%"), rows -> !rows.isEmpty()).get(0);
        assertThat(letter.get("reason").toString()).contains("hubspot has no contact 987654321 to fetch");
        assertThat(letter.get("attempts")).isEqualTo(1);
    }

    @Test
    void aRequestWithOneBadEventStoresNoneOfItsEvents() {
        long good = EVENT_IDS.incrementAndGet();
        long bad = EVENT_IDS.incrementAndGet();
        String badEvent = thinEvent(bad, "1", "firstname", "x").replace("\"objectId\":1", "\"objectId\":{\"id\":1}");

        postHubSpot("[" + thinEvent(good, "42", "firstname", "Ada") + "," + badEvent + "]")
                .then().statusCode(400)
                .body("error", equalTo("invalid_type")).body("field", equalTo("[1].objectId"));

        assertThat(stored(Long.toString(good))).isZero();
        assertThat(stored(Long.toString(bad))).isZero();
    }

    @Test
    void anObjectWhereHubSpotSendsAnArrayIsRefused() {
        postHubSpot(thinEvent(EVENT_IDS.incrementAndGet(), "42", "firstname", "Ada"))
                .then().statusCode(400).body("error", equalTo("not_a_json_array"));
    }

    @Test
    void xeroIntentToReceiveIsAnswered200WithoutBodyWhenSignedAnd401WhenNot() {
        String validation = "{\"events\":[],\"lastEventSequence\":0,\"firstEventSequence\":0,\"entropy\":\"S0m3r4Nd0mt3xt\"}";
        long before = query("SELECT id FROM inbox WHERE source_system = 'xero'").size();

        Response signed = postXero(validation, base64Hmac(XERO_KEY, validation));
        assertThat(signed.statusCode()).isEqualTo(200);
        assertThat(signed.asString()).isEmpty();

        Response forged = postXero(validation, base64Hmac("not-the-key", validation));
        assertThat(forged.statusCode()).isEqualTo(401);

        assertThat(query("SELECT id FROM inbox WHERE source_system = 'xero'")).hasSize((int) before);
    }

    @Test
    void xeroEventsOfTheEntityAreStoredAndTheOthersSkipped() {
        String contact = UUID.randomUUID().toString();
        String body = "{\"events\":[{\"resourceUrl\":\"https://api.xero.com/api.xro/2.0/Contacts/" + contact + "\","
                + "\"resourceId\":\"" + contact + "\",\"eventDateUtc\":\"2026-11-26T08:30:00.000\",\"eventType\":\"UPDATE\","
                + "\"eventCategory\":\"CONTACT\",\"tenantId\":\"c2cc9b6e-9458-4c7d-93cc-f02b81b0594f\",\"tenantType\":\"ORGANISATION\"},"
                + "{\"resourceUrl\":\"https://api.xero.com/api.xro/2.0/Invoices/" + UUID.randomUUID() + "\","
                + "\"resourceId\":\"" + UUID.randomUUID() + "\",\"eventDateUtc\":\"2026-11-26T08:30:00.000\",\"eventType\":\"CREATE\","
                + "\"eventCategory\":\"INVOICE\",\"tenantId\":\"c2cc9b6e-9458-4c7d-93cc-f02b81b0594f\",\"tenantType\":\"ORGANISATION\"}],"
                + "\"firstEventSequence\":1,\"lastEventSequence\":2,\"entropy\":\"YSXCMKAQBJOEMGUZEPFZ\"}";

        Response answer = postXero(body, base64Hmac(XERO_KEY, body));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.asString()).isEmpty();

        assertThat(query("SELECT payload FROM inbox WHERE source_system = 'xero' AND record_key = ?", contact))
                .singleElement().satisfies(row -> assertThat(row.get("payload").toString()).contains("\"eventCategory\":\"CONTACT\""));
        assertThat(query("SELECT id FROM inbox WHERE source_system = 'xero' AND payload LIKE '%INVOICE%'")).isEmpty();
    }
}
