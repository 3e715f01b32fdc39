package io.syncline.connector.hubspot;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.testsupport.HubSpotDescriptions;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.HubSpotStubResource;
import io.syncline.testsupport.HubSpotWebhooks;
import io.syncline.testsupport.InboxBacklog;
import io.syncline.testsupport.IngressSettings;
import io.syncline.testsupport.LinkedRecords;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * CRM contacts into HubSpot through {@code type: hubspot} (the preset, and the hubspot plug-in),
 * against a stub of HubSpot's CRM v3 contacts API, with the state store on PostgreSQL: a contact
 * whose e-mail HubSpot has is linked by search, not created twice; a new one created with its
 * {@code associations}; a backlog of updates written 100 a batch call, one record HubSpot refuses
 * a dead letter with its message while the others are applied; HubSpot's 429 waited out; its
 * error body read; pages pulled to the end, 100 a page; HubSpot's signed thin events fetched
 * through the preset and applied to a table. Every request the connector sent is
 * checked against HubSpot's published description of the API ({@link ApiDescription}).
 */
@QuarkusTest
@TestProfile(HubSpotPresetTest.FullBatches.class)
@WithTestResource(value = HubSpotStubResource.class,
        initArgs = @ResourceArg(name = HubSpotStubResource.FOLDER, value = "hubspot-preset-routes"))
class HubSpotPresetTest {

    static final String WEBHOOK = "/webhooks/crm/contacts";
    static final String BATCH_READ = HubSpotStub.CONTACTS + "/batch/read";
    static final String DATABASE = HubSpotStubResource.databaseOf("hubspot-preset-routes");
    /**
     * Quick retries; one worker applying up to 200 events in one batch, so a backlog goes to HubSpot
     * in full batch calls; behind the shipped Deployment's Ingress settings, the test's client in
     * the ingress controller's place.
     */
    public static class FullBatches implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new LinkedHashMap<>(IngressSettings.withLoopbackAsIngress());
            overrides.putAll(Map.of("syncline.inbox.retry-delay", "200ms", "syncline.inbox.max-retry-delay", "2s",
                    "syncline.inbox.max-attempts", "6",
                    "syncline.inbox.workers", "1",
                    "syncline.inbox.batch-size", "200",
                    "syncline.inbox.apply-batch.max-events", "200",
                    "HUBSPOT_CLIENT_SECRET", "hubspot-client-secret-0000"));
            return overrides;
        }
    }

    HubSpotStub hubspot;

    @Inject
    SystemTypes types;

    @Inject
    SyncModelRegistry registry;

    /** Every request sent to HubSpot is one its published API description allows. */
    @AfterEach
    void everyRequestFollowsHubSpotsContract() {
        assertThat(HubSpotDescriptions.violations(hubspot.received())).as("checked against %s", HubSpotDescriptions.used())
                .isEmpty();
        assertThat(hubspot.received()).allSatisfy(request -> assertThat(request.header("Authorization")).isEqualTo("Bearer " + HubSpotStubResource.TOKEN));
    }

    private static long accept(Map<String, Object> contact) {
        Integer inboxId = given().contentType(ContentType.JSON).body(contact).when().post(WEBHOOK)
                .then().statusCode(202).extract().path("inboxId");
        return inboxId.longValue();
    }

    private static Map<String, Object> contact(String id, String email, String lastName) {
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("id", id);
        contact.put("email", email);
        contact.put("firstName", "Ada");
        contact.put("lastName", lastName);
        return contact;
    }

    private static List<Map<String, Object>> query(String sql, Object... parameters) {
        return TestDatabase.queryOn(DATABASE, sql, parameters);
    }

    private static List<Map<String, Object>> awaitRows(String sql, Object... parameters) {
        return TestDatabase.awaitRowsOn(DATABASE, sql, parameters);
    }

    private static String finalStatus(long inboxId) {
        return TestDatabase.awaitSettledOn(DATABASE, inboxId);
    }

    private static void awaitSettled(List<Long> ids) {
        awaitRows("SELECT count(*) AS n FROM inbox WHERE id = ANY(?) AND status IN ('done', 'dead') HAVING count(*) = ?",
                ids.toArray(Long[]::new), (long) ids.size());
    }

    private static String hubspotId(String crmId) {
        return (String) awaitRows("SELECT system_id FROM id_map WHERE entity = 'contact' AND system = 'hubspot'"
                + " AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'contact' AND system = 'crm'"
                + " AND system_id = ?)", crmId).get(0).get("system_id");
    }

    /** The HubSpot id of each contact of a run, by its CRM id: one query for a run of hundreds. */
    private static Map<String, String> hubspotIds(String run) {
        Map<String, String> ids = new LinkedHashMap<>();
        query("SELECT crm.system_id AS crm, hubspot.system_id AS hubspot FROM id_map crm JOIN id_map hubspot"
                + " ON hubspot.canonical_id = crm.canonical_id AND hubspot.entity = 'contact' AND hubspot.system = 'hubspot'"
                + " WHERE crm.entity = 'contact' AND crm.system = 'crm' AND crm.system_id LIKE ?", run + "-%")
                .forEach(row -> ids.put((String) row.get("crm"), (String) row.get("hubspot")));
        return ids;
    }

    private static String auditDetail(long inboxId) {
        return (String) query("SELECT action || ': ' || coalesce(detail, '') AS line FROM audit_log WHERE inbox_id = ?"
                + " AND target_system = 'hubspot' ORDER BY id", inboxId).get(0).get("line");
    }

    /**
     * Contacts {@code <run>-0 … <run>-<n-1>} in HubSpot, each linked to its CRM id in the ID map, as
     * after an earlier sync (a backfill, a link import); their HubSpot ids, in order.
     */
    private List<String> linked(String run, int n) {
        List<String> ids = new ArrayList<>();
        try (Connection connection = TestDatabase.connect(DATABASE); PreparedStatement link = connection.prepareStatement(
                "INSERT INTO id_map (entity, canonical_id, system, system_id) VALUES ('contact', ?, ?, ?)")) {
            for (int i = 0; i < n; i++) {
                String id = hubspot.add(Map.of("email", run + "-" + i + "@example.com", "firstname", "Ada", "lastname", "First",
                        "crm_contact_id", run + "-" + i));
                String canonical = UUID.randomUUID().toString();
                for (String[] side : new String[][]{{"crm", run + "-" + i}, {"hubspot", id}}) {
                    link.setString(1, canonical);
                    link.setString(2, side[0]);
                    link.setString(3, side[1]);
                    link.addBatch();
                }
                ids.add(id);
            }
            link.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    private int requests(String method, String path) {
        return hubspot.received(method, path).size();
    }

    @Test
    void aContactWhoseEmailHubSpotHasIsLinkedByItsEmailAndNotCreatedTwice() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "ada-" + run + "@example.com";
        String existing = hubspot.add(Map.of("email", email, "firstname", "Ada", "lastname", "Lovelace"));
        int creates = requests("POST", HubSpotStub.CONTACTS);
        int reads = requests("POST", BATCH_READ);

        long inboxId = accept(contact("c-" + run, "ADA-" + run + "@Example.com", "Lovelace"));
        assertThat(finalStatus(inboxId)).isEqualTo("done");

        assertThat(hubspotId("c-" + run)).isEqualTo(existing);
        assertThat(hubspot.find("email", email)).containsExactly(existing);
        assertThat(requests("POST", HubSpotStub.CONTACTS)).isEqualTo(creates);
        // read by its e-mail, HubSpot's unique property: no search, whose index lags and whose limit is 5 a second
        List<HubSpotStub.Received> read = hubspot.received("POST", BATCH_READ);
        assertThat(read).hasSize(reads + 1);
        assertThat(read.get(read.size() - 1).json()).containsEntry("idProperty", "email")
                .containsEntry("inputs", List.of(Map.of("id", email)));
        assertThat(auditDetail(inboxId)).contains("matched by email (0.95)");
        assertThat(hubspot.contact(existing)).containsEntry("crm_contact_id", "c-" + run);

        // the same contact again: linked by the ID map, no second lookup, nothing created
        long again = accept(contact("c-" + run, email, "King"));
        assertThat(finalStatus(again)).isEqualTo("done");
        assertThat(requests("POST", HubSpotStub.CONTACTS)).isEqualTo(creates);
        assertThat(requests("POST", BATCH_READ)).isEqualTo(reads + 1);
        assertThat(hubspot.contact(existing)).containsEntry("lastname", "King");
    }

    @Test
    void aNewContactIsCreatedWithItsPropertiesAndAssociations() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        long inboxId = accept(contact("c-" + run, "new-" + run + "@example.com", "Hopper"));
        assertThat(finalStatus(inboxId)).isEqualTo("done");

        String id = hubspotId("c-" + run);
        assertThat(hubspot.contact(id)).containsEntry("email", "new-" + run + "@example.com")
                .containsEntry("lastname", "Hopper").containsEntry("crm_contact_id", "c-" + run);
        HubSpotStub.Received create = hubspot.received("POST", HubSpotStub.CONTACTS).stream()
                .filter(request -> request.body().contains("new-" + run)).findFirst().orElseThrow();
        assertThat(create.json()).containsEntry("associations", List.of()).containsKey("properties");
        assertThat(auditDetail(inboxId)).startsWith("created").contains("hubspot create /crm/v3/objects/contacts: created " + id);
    }

    @Test
    void aThousandQueuedUpdatesTakeAtMostTenBatchCalls() {
        String run = "bulk-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> hubspotIds = linked(run, 1000);
        int before = hubspot.received().size();

        List<Map<String, Object>> changed = IntStream.range(0, 1000)
                .mapToObj(i -> contact(run + "-" + i, run + "-" + i + "@example.com", "Second")).toList();
        List<Long> ids = InboxBacklog.storeIn(DATABASE, "hubspot", changed);
        awaitSettled(ids);

        List<HubSpotStub.Received> calls = hubspot.received().subList(before, hubspot.received().size());
        assertThat(calls).hasSizeLessThanOrEqualTo(10)
                .allSatisfy(call -> assertThat(call.method() + " " + call.path()).isEqualTo("POST " + HubSpotStub.CONTACTS + "/batch/update"));
        assertThat(calls.stream().mapToInt(call -> ((List<?>) call.json().get("inputs")).size()).sum()).isEqualTo(1000);
        assertThat(query("SELECT count(*) AS n FROM inbox WHERE id = ANY(?) AND status = 'done'", (Object) ids.toArray(Long[]::new))
                .get(0).get("n")).isEqualTo(1000L);
        assertThat(hubspotIds).allSatisfy(id -> assertThat(hubspot.contact(id)).containsEntry("lastname", "Second"));
    }

    @Test
    void aBacklogOfNewContactsIsSearchedThenCreatedAHundredABatchCall() {
        String run = "new-" + UUID.randomUUID().toString().substring(0, 8);
        String existing = hubspot.add(Map.of("email", run + "-7@example.com", "firstname", "Ada", "lastname", "Known"));
        List<Map<String, Object>> contacts = IntStream.range(0, 150)
                .mapToObj(i -> contact(run + "-" + i, run + "-" + i + "@example.com", "Backlog")).toList();
        int creates = requests("POST", HubSpotStub.CONTACTS + "/batch/create");

        List<Long> ids = InboxBacklog.storeIn(DATABASE, "hubspot", contacts);
        awaitSettled(ids);

        assertThat(query("SELECT count(*) AS n FROM inbox WHERE id = ANY(?) AND status = 'done'", (Object) ids.toArray(Long[]::new))
                .get(0).get("n")).isEqualTo(150L);
        List<HubSpotStub.Received> batches = hubspot.received("POST", HubSpotStub.CONTACTS + "/batch/create");
        assertThat(batches.subList(creates, batches.size())).extracting(call -> ((List<?>) call.json().get("inputs")).size())
                .containsExactly(100, 49);
        // the one HubSpot had is linked by its e-mail, the others each created once, under their own id
        assertThat(hubspotId(run + "-7")).isEqualTo(existing);
        assertThat(auditDetail(ids.get(7))).contains("matched by email (0.95)");
        Map<String, String> linked = hubspotIds(run);
        IntStream.range(0, 150).forEach(i -> assertThat(hubspot.find("email", run + "-" + i + "@example.com"))
                .as("contact %d", i).containsExactly(linked.get(run + "-" + i)));
        assertThat(auditDetail(ids.get(0))).startsWith("created")
                .contains("hubspot batch/create /crm/v3/objects/contacts (100 records): created " + hubspotId(run + "-0"));
    }

    @Test
    void aThousandNewContactsSomeInHubSpotTakeAtMostTwentyFiveCallsIncludingMatching() {
        String run = "thousand-" + UUID.randomUUID().toString().substring(0, 8);
        // one in forty HubSpot has already, by e-mail: spread over every batch
        Map<Integer, String> known = new LinkedHashMap<>();
        for (int i = 7; i < 1000; i += 40) {
            known.put(i, hubspot.add(Map.of("email", run + "-" + i + "@example.com",
                    "firstname", "Ada", "lastname", "Known")));
        }
        List<Map<String, Object>> contacts = IntStream.range(0, 1000)
                .mapToObj(i -> contact(run + "-" + i, run + "-" + i + "@example.com", "Thousand")).toList();
        int before = hubspot.received().size();

        List<Long> ids = InboxBacklog.storeIn(DATABASE, "hubspot", contacts);
        awaitSettled(ids);

        assertThat(query("SELECT count(*) AS n FROM inbox WHERE id = ANY(?) AND status = 'done'", (Object) ids.toArray(Long[]::new))
                .get(0).get("n")).isEqualTo(1000L);
        List<HubSpotStub.Received> calls = hubspot.received().subList(before, hubspot.received().size());
        // matching included: each batch's e-mails read 100 a call, its creates and updates 100 a call
        assertThat(calls).hasSizeLessThanOrEqualTo(25).allSatisfy(call -> assertThat(call.method() + " " + call.path())
                .isIn("POST " + BATCH_READ, "POST " + HubSpotStub.CONTACTS + "/batch/create",
                        "POST " + HubSpotStub.CONTACTS + "/batch/update"));
        // none created twice: the known ones linked and updated, every other created once
        Map<String, String> linked = hubspotIds(run);
        known.forEach((i, id) -> {
            assertThat(linked.get(run + "-" + i)).as("contact %d", i).isEqualTo(id);
            assertThat(hubspot.contact(id)).containsEntry("lastname", "Thousand");
        });
        IntStream.range(0, 1000).filter(i -> !known.containsKey(i)).forEach(i -> assertThat(
                hubspot.find("email", run + "-" + i + "@example.com")).as("contact %d", i).containsExactly(linked.get(run + "-" + i)));
    }

    @Test
    void aBatchWhoseLookupHubSpotRateLimitsIsSentAgainAsABatchAfterItsRetryAfter() {
        String run = "limited-" + UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> contacts = IntStream.range(0, 150)
                .mapToObj(i -> contact(run + "-" + i, run + "-" + i + "@example.com", "Limited")).toList();
        int before = hubspot.received().size();
        hubspot.rateLimitNext(1);

        List<Long> ids = InboxBacklog.storeIn(DATABASE, "hubspot", contacts);
        awaitSettled(ids);

        assertThat(query("SELECT count(*) AS n FROM inbox WHERE id = ANY(?) AND status = 'done'", (Object) ids.toArray(Long[]::new))
                .get(0).get("n")).isEqualTo(150L);
        List<HubSpotStub.Received> calls = hubspot.received().subList(before, hubspot.received().size());
        // the 429 put the batch back whole: after Retry-After it was looked up and created 100 a call again, never a record alone
        assertThat(calls).extracting(call -> call.method() + " " + call.path()).containsExactly("POST " + BATCH_READ,
                "POST " + BATCH_READ, "POST " + BATCH_READ, "POST " + HubSpotStub.CONTACTS + "/batch/create",
                "POST " + HubSpotStub.CONTACTS + "/batch/create");
        assertThat(Duration.between(calls.get(0).at(), calls.get(1).at())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        Map<String, String> linked = hubspotIds(run);
        IntStream.range(0, 150).forEach(i -> assertThat(hubspot.find("email", run + "-" + i + "@example.com"))
                .as("contact %d", i).containsExactly(linked.get(run + "-" + i)));
    }

    @Test
    void searchesByARuleBatchReadCannotTakeKeepUnderHubSpotsFiveASecond() {
        String run = "member-" + UUID.randomUUID().toString().substring(0, 8);
        String known = hubspot.add(Map.of("shop_member_id", run + "-3", "lastname", "Known"));
        List<Map<String, Object>> members = IntStream.range(0, 12)
                .mapToObj(i -> Map.<String, Object>of("id", run + "-" + i, "lastName", "Member")).toList();
        int before = hubspot.received().size();

        List<Long> ids = InboxBacklog.storeIn(DATABASE, "member", "crm", "hubspot", members);
        awaitSettled(ids);

        // one search a member (a custom property is no idProperty), paced under HubSpot's 5 a second: none refused
        assertThat(query("SELECT count(*) AS n FROM inbox WHERE id = ANY(?) AND status = 'done' AND attempts = 1",
                (Object) ids.toArray(Long[]::new)).get(0).get("n")).isEqualTo(12L);
        List<Instant> searches = hubspot.received().subList(before, hubspot.received().size()).stream()
                .filter(call -> call.path().equals(HubSpotStub.CONTACTS + "/search")).map(HubSpotStub.Received::at).toList();
        assertThat(searches).hasSize(12);
        for (Instant at : searches) {
            assertThat(searches.stream().filter(other -> !other.isBefore(at) && other.isBefore(at.plusSeconds(1))))
                    .as("searches in the second from %s", at).hasSizeLessThanOrEqualTo(5);
        }
        assertThat(hubspot.find("shop_member_id", run + "-3")).containsExactly(known);
        IntStream.range(0, 12).forEach(i -> assertThat(hubspot.find("shop_member_id", run + "-" + i)).as("member %d", i)
                .hasSize(1));
    }

    @Test
    void aRecordHubSpotRefusesInABatchIsADeadLetterWithItsMessageAndTheOthersAreApplied() {
        String run = "partial-" + UUID.randomUUID().toString().substring(0, 8);
        String gone = linked(run, 10).get(3);
        assertThat(hubspot.forget(gone)).isTrue(); // deleted in HubSpot by a person
        int before = hubspot.received().size();

        List<Map<String, Object>> changed = IntStream.range(0, 10)
                .mapToObj(i -> contact(run + "-" + i, run + "-" + i + "@example.com", "Second")).toList();
        List<Long> ids = InboxBacklog.storeIn(DATABASE, "hubspot", changed);
        awaitSettled(ids);

        // one batch call for the ten, answered 207; the refused record's event fails alone at once
        // with HubSpot's message, the others are recorded from the call's results without a second write
        List<HubSpotStub.Received> calls = hubspot.received().subList(before, hubspot.received().size());
        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.path()).isEqualTo(HubSpotStub.CONTACTS + "/batch/update");
            assertThat((List<?>) call.json().get("inputs")).hasSize(10);
        });
        for (int i = 0; i < ids.size(); i++) {
            assertThat(query("SELECT status FROM inbox WHERE id = ?", ids.get(i)).get(0).get("status"))
                    .as("contact %d", i).isEqualTo(i == 3 ? "dead" : "done");
        }
        assertThat(query("SELECT reason, attempts FROM dead_letter WHERE payload LIKE ?", "%" + run + "-3@%")).singleElement()
                .satisfies(row -> {
                    assertThat((String) row.get("reason")).contains("OBJECT_NOT_FOUND").contains("Could not get some CONTACT objects");
                    assertThat(row.get("attempts")).isEqualTo(1);
                });
        assertThat(auditDetail(ids.get(0))).startsWith("updated")
                .contains("hubspot batch/update /crm/v3/objects/contacts (10 records) (its batch's call): updated");
    }

    @Test
    void hubSpotsTenSecondlyLimitIsWaitedOutAndTheWriteSentAgain() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        hubspot.tenSecondlyLimitNext();
        long inboxId = accept(contact("c-" + run, "limited-" + run + "@example.com", "Limited"));
        assertThat(finalStatus(inboxId)).isEqualTo("done");

        assertThat(hubspot.contact(hubspotId("c-" + run))).containsEntry("lastname", "Limited");
        assertThat((Integer) query("SELECT attempts FROM inbox WHERE id = ?", inboxId).get(0).get("attempts")).isGreaterThan(1);
    }

    @Test
    void hubSpotsErrorBodyIsTheDeadLettersReason() {
        String run = "refused-" + UUID.randomUUID().toString().substring(0, 8);
        linked(run, 1);
        hubspot.respondNext(400, Map.of(), HubSpotStub.error("Property values were not valid: lastname is read-only",
                "VALIDATION_ERROR"));
        long inboxId = accept(contact(run + "-0", run + "-0@example.com", "Refused"));
        assertThat(finalStatus(inboxId)).isEqualTo("dead");

        assertThat(query("SELECT reason FROM dead_letter WHERE payload LIKE ?", "%" + run + "-0@%")).singleElement()
                .satisfies(row -> assertThat((String) row.get("reason")).contains("hubspot rejected PATCH /crm/v3/objects/contacts/")
                        .contains("400 Property values were not valid: lastname is read-only (VALIDATION_ERROR)"));
    }

    @Test
    void aLookupHubSpotRefusesIsADeadLetterAtOnceWithItsMessage() {
        String run = "unsearchable-" + UUID.randomUUID().toString().substring(0, 8);
        int reads = requests("POST", BATCH_READ);
        hubspot.respondNext(400, Map.of(), HubSpotStub.error("There was a problem with the request.", "VALIDATION_ERROR"));
        long inboxId = accept(contact("c-" + run, run + "@example.com", "Refused"));
        assertThat(finalStatus(inboxId)).isEqualTo("dead");

        // no retry can mend a request HubSpot refuses: one lookup, no create, the reason HubSpot's own
        assertThat(requests("POST", BATCH_READ)).isEqualTo(reads + 1);
        assertThat(hubspot.find("email", run + "@example.com")).isEmpty();
        assertThat(query("SELECT reason, attempts FROM dead_letter WHERE payload LIKE ?", "%" + run + "@%")).singleElement()
                .satisfies(row -> {
                    assertThat((String) row.get("reason")).contains("hubspot rejected POST /crm/v3/objects/contacts/batch/read")
                            .contains("There was a problem with the request. (VALIDATION_ERROR)");
                    assertThat(row.get("attempts")).isEqualTo(1);
                });
    }

    private static Response postHubSpot(String body, String secret) throws Exception {
        return HubSpotWebhooks.post("/webhooks/hubspot/contacts", body, secret);
    }

    @Test
    void hubSpotsSignedThinEventsAreFetchedThroughThePresetAndApplied() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String id = hubspot.add(Map.of("email", "lead-" + run + "@example.com", "firstname", "Grace", "lastname", "Hopper"));
        long eventId = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
        String events = "[" + HubSpotWebhooks.propertyChange(eventId, id, "lastname", "Hopper") + "]";

        assertThat(postHubSpot(events, "not-the-client-secret").statusCode()).isEqualTo(401);
        assertThat(postHubSpot(events, "hubspot-client-secret-0000").statusCode()).isEqualTo(202);

        Map<String, Object> row = awaitRows("SELECT email, first_name, last_name FROM demo_contact WHERE external_id = ?", id).get(0);
        assertThat(row).containsEntry("email", "lead-" + run + "@example.com").containsEntry("first_name", "Grace")
                .containsEntry("last_name", "Hopper");
        assertThat(hubspot.received("GET", HubSpotStub.CONTACTS + "/" + id)).singleElement()
                .satisfies(fetch -> assertThat(fetch.query()).isEqualTo("properties=email,firstname,lastname"));
    }

    @Test
    void aSignedEventArrivingThroughTheShippedIngressIsAccepted() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String id = hubspot.add(Map.of("email", "edge-" + run + "@example.com", "firstname", "Grace", "lastname", "Edge"));
        String path = "/webhooks/hubspot/contacts";
        String host = "syncline.example.com";
        String secret = "hubspot-client-secret-0000";

        // HubSpot signed the https URL it called; the pod is called over http, and only the
        // ingress controller's headers say what HubSpot called
        assertThat(HubSpotWebhooks.post("https://" + host + path, path, "[" + HubSpotWebhooks.propertyChange(
                Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L), id, "lastname", "Edge") + "]", secret,
                Map.of()).statusCode()).isEqualTo(401);
        long eventId = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
        assertThat(HubSpotWebhooks.postThroughIngress(host, path, "[" + HubSpotWebhooks.propertyChange(eventId, id, "lastname",
                "Edge") + "]", secret).statusCode()).isEqualTo(202);

        assertThat(awaitRows("SELECT last_name FROM demo_contact WHERE external_id = ?", id).get(0))
                .containsEntry("last_name", "Edge");
    }

    @Test
    void aBatchOfAHundredThinEventsIsStoredBeforeTheAnswerEachFetchedAndAppliedOnceARepeatRefused() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = IntStream.range(0, 100).mapToObj(i -> hubspot.add(Map.of("email", "thin-" + run + "-" + i + "@example.com",
                "firstname", "Thin", "lastname", "Event " + i))).toList();
        long firstEventId = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
        String events = IntStream.range(0, 100).mapToObj(i -> HubSpotWebhooks.propertyChange(firstEventId + i, ids.get(i), "lastname",
                "Event " + i)).collect(java.util.stream.Collectors.joining(",", "[", "]"));

        Response answered = postHubSpot(events, "hubspot-client-secret-0000");

        assertThat(answered.statusCode()).isEqualTo(202);
        assertThat(answered.jsonPath().getInt("accepted")).isEqualTo(100);
        // the 2xx came after every event was committed to the inbox, each under HubSpot's event id
        assertThat(query("SELECT count(*) AS n FROM inbox WHERE event_id = ANY(?)", (Object) IntStream.range(0, 100)
                .mapToObj(i -> Long.toString(firstEventId + i)).toArray(String[]::new)).get(0).get("n")).isEqualTo(100L);
        for (int i = 0; i < 100; i++) {
            assertThat(awaitRows("SELECT last_name FROM demo_contact WHERE external_id = ?", ids.get(i)).get(0))
                    .as("contact %d", i).containsEntry("last_name", "Event " + i);
        }
        for (String id : ids) {
            assertThat(hubspot.received("GET", HubSpotStub.CONTACTS + "/" + id)).as("fetches of %s", id).hasSize(1);
        }

        String again = "[" + HubSpotWebhooks.propertyChange(firstEventId + 7, ids.get(7), "lastname", "Event 7") + "]";
        Response repeated = postHubSpot(again, "hubspot-client-secret-0000");
        assertThat(repeated.statusCode()).isEqualTo(202);
        assertThat(repeated.jsonPath().getInt("duplicates")).isEqualTo(1);
        assertThat(repeated.jsonPath().getInt("accepted")).isZero();
        assertThat(hubspot.received("GET", HubSpotStub.CONTACTS + "/" + ids.get(7))).hasSize(1);
    }

    @Test
    void aPullReadsEveryPageToTheEndAHundredAPage() throws Exception {
        String run = "pull-" + UUID.randomUUID().toString().substring(0, 8);
        IntStream.range(0, 250).forEach(i -> hubspot.add(Map.of("email", run + "-" + i + "@example.com", "lastname", "Paged")));
        int before = hubspot.received().size();
        var model = registry.current().model();
        List<Map<String, Object>> records = new ArrayList<>();

        PullResult result = types.of("hubspot").puller().pull(new PullRequest("contact", "hubspot", model.systems().get("hubspot"),
                model.entities().get("contact").mappings().get("hubspot"), 500), records::addAll);

        assertThat(result.reachedEnd()).isTrue();
        assertThat(records.stream().filter(record -> String.valueOf(record.get("email")).startsWith(run)))
                .hasSize(250).allSatisfy(record -> assertThat(record).containsEntry("lastname", "Paged").containsKey("id"));
        List<HubSpotStub.Received> pages = hubspot.received().subList(before, hubspot.received().size());
        assertThat(pages).isNotEmpty().allSatisfy(page -> {
            assertThat(page.method() + " " + page.path()).isEqualTo("GET " + HubSpotStub.CONTACTS);
            assertThat(page.query()).contains("limit=100").contains("properties=crm_contact_id,email,firstname,lastname");
        });
        assertThat(pages.subList(1, pages.size())).allSatisfy(page -> assertThat(page.query()).contains("after="));
    }

    // --- associations: a contact's company ------------------------------------------------------

    /** A company in HubSpot linked to the CRM's {@code crmId} in the ID map, as after an earlier sync; its HubSpot id. */
    private String linkedCompany(String crmId) {
        String id = hubspot.addCompany(Map.of("name", "Company " + crmId));
        LinkedRecords.link(DATABASE, "company", "crm", crmId, "hubspot", id);
        return id;
    }

    private static long acceptEmployee(String id, String email, String lastName, String companyId) {
        Integer inboxId = given().contentType(ContentType.JSON).body(Map.of("id", id, "email", email, "lastName", lastName,
                "companyId", companyId)).when().post("/webhooks/crm/employees").then().statusCode(202).extract().path("inboxId");
        return inboxId.longValue();
    }

    private static String hubspotEmployee(String crmId) {
        return (String) awaitRows("SELECT system_id FROM id_map WHERE entity = 'employee' AND system = 'hubspot'"
                + " AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'employee' AND system = 'crm'"
                + " AND system_id = ?)", crmId).get(0).get("system_id");
    }

    private List<HubSpotStub.Received> associationCalls(String contact) {
        return hubspot.received().stream().filter(request -> request.path().startsWith(HubSpotStub.ASSOCIATIONS + "/contacts/"
                + contact + "/")).toList();
    }

    @Test
    void aNewContactIsCreatedAssociatedToItsCompanyAsItsPrimaryCompany() {
        String run = "assoc-" + UUID.randomUUID().toString().substring(0, 8);
        String company = linkedCompany("co-" + run);

        long inboxId = acceptEmployee("e-" + run, run + "@example.com", "Hamilton", "co-" + run);
        assertThat(finalStatus(inboxId)).isEqualTo("done");

        String id = hubspotEmployee("e-" + run);
        HubSpotStub.Received create = hubspot.received("POST", HubSpotStub.CONTACTS).stream()
                .filter(request -> request.body().contains(run + "@example.com")).findFirst().orElseThrow();
        // the CRM's company id written as HubSpot's, in the create itself: HubSpot's primary company type
        assertThat(create.json()).containsEntry("associations", List.of(Map.of("to", Map.of("id", company),
                "types", List.of(Map.of("associationCategory", "HUBSPOT_DEFINED", "associationTypeId", 1)))));
        assertThat(create.json().get("properties")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).doesNotContainKey("associations");
        assertThat(hubspot.companiesOf(id)).containsOnlyKeys(company);
        assertThat(hubspot.companiesOf(id).get(company)).contains(1, 279);
        assertThat(hubspot.contact(id)).containsEntry("lastname", "Hamilton").doesNotContainKey("associations");
        assertThat(associationCalls(id)).isEmpty();
    }

    @Test
    void aContactMovedToAnotherCompanyIsAssociatedToItAndNoLongerToTheOld() {
        String run = "moved-" + UUID.randomUUID().toString().substring(0, 8);
        String first = linkedCompany("co1-" + run);
        String second = linkedCompany("co2-" + run);
        assertThat(finalStatus(acceptEmployee("e-" + run, run + "@example.com", "Moved", "co1-" + run))).isEqualTo("done");
        String id = hubspotEmployee("e-" + run);

        long moved = acceptEmployee("e-" + run, run + "@example.com", "Moved", "co2-" + run);
        assertThat(finalStatus(moved)).isEqualTo("done");

        assertThat(hubspot.companiesOf(id)).containsOnlyKeys(second);
        assertThat(hubspot.companiesOf(id).get(second)).contains(1);
        // read, associated with the new company as primary, then the old one removed
        assertThat(associationCalls(id)).extracting(call -> call.method() + " " + call.path()).containsExactly(
                "GET " + HubSpotStub.ASSOCIATIONS + "/contacts/" + id + "/associations/companies",
                "PUT " + HubSpotStub.ASSOCIATIONS + "/contacts/" + id + "/associations/companies/" + second,
                "DELETE " + HubSpotStub.ASSOCIATIONS + "/contacts/" + id + "/associations/companies/" + first);
        assertThat(associationCalls(id).get(1).body()).isEqualTo("[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":1}]");
        assertThat(auditDetail(moved)).contains("associated companies " + second).contains("removed companies " + first);

        // a change of another field leaves the association as it is: read, nothing written
        assertThat(finalStatus(acceptEmployee("e-" + run, run + "@example.com", "Stayed", "co2-" + run))).isEqualTo("done");
        assertThat(associationCalls(id)).hasSize(4).last().satisfies(call -> assertThat(call.method()).isEqualTo("GET"));
        assertThat(hubspot.contact(id)).containsEntry("lastname", "Stayed");
        assertThat(hubspot.companiesOf(id)).containsOnlyKeys(second);
    }

    @Test
    void aContactsCompanyIsReadBackFromItsAssociationsPrimaryFirst() throws Exception {
        String run = "read-" + UUID.randomUUID().toString().substring(0, 8);
        String other = hubspot.addCompany(Map.of("name", "Other"));
        String primary = hubspot.addCompany(Map.of("name", "Primary"));
        String id = hubspot.add(Map.of("email", run + "@example.com", "lastname", "Read"));
        hubspot.associate(id, other, 279);
        hubspot.associate(id, primary, 1);
        String alone = hubspot.add(Map.of("email", run + "-alone@example.com", "lastname", "Alone"));

        Map<String, Object> fetched = types.of("hubspot").fetch("employee", "hubspot", id).orElseThrow();
        assertThat(fetched).containsEntry("associations", Map.of("companies", primary));
        assertThat(hubspot.received("GET", HubSpotStub.CONTACTS + "/" + id)).last()
                .satisfies(fetch -> assertThat(fetch.query()).contains("associations=companies"));
        assertThat(registry.current().transformer().toCanonicalUnhashed("employee", "hubspot", fetched).fields())
                .containsEntry("company", primary);

        var model = registry.current().model();
        List<Map<String, Object>> records = new ArrayList<>();
        types.of("hubspot").puller().pull(new PullRequest("employee", "hubspot", model.systems().get("hubspot"),
                model.entities().get("employee").mappings().get("hubspot"), 100), records::addAll);
        assertThat(records).filteredOn(record -> id.equals(record.get("id"))).singleElement()
                .satisfies(record -> assertThat(record).containsEntry("associations", Map.of("companies", primary)));
        Map<String, Object> none = new LinkedHashMap<>();
        none.put("companies", null);
        assertThat(records).filteredOn(record -> alone.equals(record.get("id"))).singleElement()
                .satisfies(record -> assertThat(record).containsEntry("associations", none));
    }

    @Test
    void aDealAndItsCompanyAreReadAtThePathsHubSpotsDescriptionsGiveThem() throws Exception {
        String run = "deal-" + UUID.randomUUID().toString().substring(0, 8);
        String company = hubspot.addCompany(Map.of("name", "Company " + run));
        String contact = hubspot.add(Map.of("email", run + "@example.com", "lastname", "Dealer"));
        String deal = hubspot.addDeal(Map.of("dealname", "Deal " + run, "amount", "1200.00"), contact, company);

        Map<String, Object> fetched = types.of("hubspot").fetch("deal", "hubspot", deal).orElseThrow();
        assertThat(fetched).containsEntry("dealname", "Deal " + run)
                .containsEntry("associations", Map.of("companies", company, "contacts", contact));
        // deals at their object type id, the path HubSpot's description gives them
        assertThat(hubspot.received("GET", HubSpotStub.DEALS_BY_TYPE + "/" + deal)).singleElement()
                .satisfies(fetch -> assertThat(java.net.URLDecoder.decode(fetch.query(), java.nio.charset.StandardCharsets.UTF_8))
                        .contains("associations=companies,contacts"));
        assertThat(types.of("hubspot").fetch("company", "hubspot", company).orElseThrow())
                .containsEntry("name", "Company " + run);
        assertThat(hubspot.received("GET", HubSpotStub.COMPANIES + "/" + company)).hasSize(1);
        // every one of them checked against HubSpot's companies and deals descriptions after the test
    }
}
