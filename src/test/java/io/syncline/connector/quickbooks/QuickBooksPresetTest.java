package io.syncline.connector.quickbooks;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.testsupport.ApiDescription;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.HubSpotWebhooks;
import io.syncline.testsupport.InboxBacklog;
import io.syncline.testsupport.IntuitOAuthStub;
import io.syncline.testsupport.QuickBooksStub;
import io.syncline.testsupport.QuickBooksStubResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code type: quickbooks} (the preset, and the quickbooks plug-in) against a stub of Intuit's OAuth
 * and of QuickBooks Online's Accounting API for customers ({@link QuickBooksStub}, written from
 * Intuit's reference pages: Intuit publishes no OpenAPI description of the Accounting API), with
 * the state store on PostgreSQL: a CRM customer created in QuickBooks' envelope; updated with the
 * current SyncToken, a stale one mended by reading the customer again; one whose e-mail QuickBooks
 * has matched by a query, not created twice; every customer pulled to the end, 1000 a page; signed
 * thin notifications (valid, tampered, redelivered: QuickBooks signs no timestamp, so a replay is
 * refused by the event id made of company, entity, id and time) fetched and applied; a rotated
 * refresh token kept and used next; a 429 waited out; a Fault a dead letter with its detail; a
 * backlog of updates sent ten items a batch request, each with the SyncToken one query read, and
 * one item QuickBooks refuses a dead letter with its Fault while the others are applied; a
 * HubSpot contact's thin event reaching QuickBooks as a customer; and a CRM invoice reaching
 * QuickBooks with its customer's and its lines' items' QuickBooks Ids (the stub refuses a reference
 * to a customer or item it does not have), a changed line a sparse update with the whole Line array
 * and the current SyncToken, and an invoice whose customer is not linked yet waiting for it.
 */
@QuarkusTest
@WithTestResource(QuickBooksStubResource.class)
class QuickBooksPresetTest {

    static final String DATABASE = QuickBooksStubResource.DATABASE_URL;
    static final String NOTIFICATIONS = "/webhooks/quickbooks/customers";

    private static final ApiDescription HUBSPOT_CONTRACT = ApiDescription.published("hubspot/contacts.json");

    IntuitOAuthStub intuit;
    QuickBooksStub quickbooks;
    HubSpotStub hubspot;

    @Inject
    SystemTypes types;

    @Inject
    SyncModelRegistry registry;

    /** Every call to QuickBooks carries a bearer token, asks for JSON and names the preset's minor version; every fetch from HubSpot is one its description allows. */
    @AfterEach
    void everyCallFollowsQuickBooksConventions() {
        assertThat(quickbooks.received()).allSatisfy(request -> {
            assertThat(request.header("Authorization")).startsWith("Bearer ");
            assertThat(request.header("Accept")).isEqualTo("application/json");
            assertThat(request.parameters()).containsEntry("minorversion", "75");
            assertThat(request.path()).startsWith(QuickBooksStub.COMPANY + "/");
        });
        assertThat(intuit.spentTwice).isEmpty();
        assertThat(HUBSPOT_CONTRACT.violations(hubspot.received())).as("checked against %s", HUBSPOT_CONTRACT.used())
                .isEmpty();
    }

    private static long accept(String id, String email, String name, String lastName) {
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("id", id);
        customer.put("email", email);
        customer.put("name", name);
        customer.put("lastName", lastName);
        Integer inboxId = given().contentType(ContentType.JSON).body(customer).when().post("/webhooks/crm/customers")
                .then().statusCode(202).extract().path("inboxId");
        return inboxId.longValue();
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

    private static String quickBooksId(String entity, String system, String id) {
        return (String) awaitRows("SELECT system_id FROM id_map WHERE entity = ? AND system = 'quickbooks'"
                + " AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = ? AND system = ? AND system_id = ?)",
                entity, entity, system, id).get(0).get("system_id");
    }

    private static String auditDetail(long inboxId) {
        return (String) query("SELECT action || ': ' || coalesce(detail, '') AS line FROM audit_log WHERE inbox_id = ?"
                + " AND target_system = 'quickbooks' ORDER BY id DESC", inboxId).get(0).get("line");
    }

    private static int attempts(long inboxId) {
        return (Integer) query("SELECT attempts FROM inbox WHERE id = ?", inboxId).get(0).get("attempts");
    }

    /** The customer bodies QuickBooks was sent to create (no Id) naming {@code email}. */
    private List<QuickBooksStub.Received> creates(String email) {
        return quickbooks.received("POST", QuickBooksStub.CUSTOMER).stream()
                .filter(request -> !request.json().containsKey("Id") && request.body().contains(email)).toList();
    }

    @Test
    void aNewCustomerIsCreatedInQuickBooksAndLinkedByItsId() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        long inboxId = accept("c-" + run, "New-" + run + "@Example.com", "Ada " + run, "Lovelace");
        assertThat(finalStatus(inboxId)).isEqualTo("done");

        String id = quickBooksId("customer", "crm", "c-" + run);
        assertThat(quickbooks.customer(id)).containsEntry("DisplayName", "Ada " + run).containsEntry("FamilyName", "Lovelace")
                .containsEntry("PrimaryEmailAddr", Map.of("Address", "new-" + run + "@example.com"))
                .containsEntry("SyncToken", "0");
        assertThat(creates("new-" + run)).singleElement().satisfies(create -> assertThat(create.json())
                .containsOnlyKeys("PrimaryEmailAddr", "DisplayName", "FamilyName"));
        assertThat(auditDetail(inboxId)).startsWith("created").contains("quickbooks create: created " + id);
    }

    @Test
    void anUpdateSendsTheCurrentSyncTokenAndAStaleOneIsMendedByReadingAgain() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        assertThat(finalStatus(accept("c-" + run, "sync-" + run + "@example.com", "Grace " + run, "Hopper"))).isEqualTo("done");
        String id = quickBooksId("customer", "crm", "c-" + run);
        quickbooks.changeInQuickBooks(id, "Notes", "called on Monday"); // SyncToken 0 -> 1 in QuickBooks

        long update = accept("c-" + run, "sync-" + run + "@example.com", "Grace " + run, "Murray");
        assertThat(finalStatus(update)).isEqualTo("done");
        assertThat(quickbooks.customer(id)).containsEntry("FamilyName", "Murray").containsEntry("Notes", "called on Monday")
                .containsEntry("SyncToken", "2");
        QuickBooksStub.Received sent = last(quickbooks.received("POST", QuickBooksStub.CUSTOMER));
        assertThat(sent.json()).containsEntry("Id", id).containsEntry("SyncToken", "1").containsEntry("sparse", true)
                .containsEntry("FamilyName", "Murray");
        assertThat(quickbooks.received("GET", QuickBooksStub.CUSTOMER + "/" + id)).isNotEmpty();

        // someone saves the customer between the read and the write: QuickBooks answers 5010, the
        // customer is read again and the update sent with the new token, in the same attempt
        quickbooks.changeBetweenReadAndWrite(1);
        int posts = quickbooks.received("POST", QuickBooksStub.CUSTOMER).size();
        long stale = accept("c-" + run, "sync-" + run + "@example.com", "Grace " + run, "Brewster");
        assertThat(finalStatus(stale)).isEqualTo("done");
        assertThat(attempts(stale)).isEqualTo(1);
        assertThat(quickbooks.customer(id)).containsEntry("FamilyName", "Brewster").containsEntry("SyncToken", "4");
        List<QuickBooksStub.Received> tries = quickbooks.received("POST", QuickBooksStub.CUSTOMER);
        assertThat(tries.subList(posts, tries.size())).extracting(request -> request.json().get("SyncToken"))
                .containsExactly("2", "3");
        assertThat(auditDetail(stale)).startsWith("updated")
                .contains("quickbooks update " + id + ": updated with SyncToken 3 (read 2 times: Stale Object Error)");
    }

    @Test
    void aCustomerWhoseEmailQuickBooksHasIsMatchedByAQueryAndNotCreatedTwice() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "o'brien-" + run + "@example.com";
        String existing = quickbooks.add(Map.of("DisplayName", "Pat O'Brien " + run, "PrimaryEmailAddr", Map.of("Address", email)));

        long inboxId = accept("c-" + run, "O'Brien-" + run + "@Example.com", "Pat O'Brien " + run, "O'Brien");
        assertThat(finalStatus(inboxId)).isEqualTo("done");

        assertThat(quickBooksId("customer", "crm", "c-" + run)).isEqualTo(existing);
        assertThat(quickbooks.withEmail(email)).containsExactly(existing);
        assertThat(creates(run)).isEmpty();
        // the quote is escaped, so the value cannot end the literal
        assertThat(quickbooks.received("GET", QuickBooksStub.QUERY)).extracting(request -> request.parameters().get("query"))
                .contains("select * from Customer where PrimaryEmailAddr = 'o\\'brien-" + run + "@example.com'");
        assertThat(auditDetail(inboxId)).contains("matched by email (0.95)");
        assertThat(quickbooks.customer(existing)).containsEntry("FamilyName", "O'Brien");
    }

    @Test
    void aPullReadsEveryCustomerToTheEndAThousandAPage() throws Exception {
        String run = "pull-" + UUID.randomUUID().toString().substring(0, 8);
        IntStream.range(0, 2500).forEach(i -> quickbooks.add(Map.of("DisplayName", run + " " + i,
                "PrimaryEmailAddr", Map.of("Address", run + "-" + i + "@example.com"))));
        int before = quickbooks.received().size();
        var model = registry.current().model();
        List<Map<String, Object>> records = new ArrayList<>();

        PullResult result = types.of("quickbooks").puller().pull(new PullRequest("account", "quickbooks",
                model.systems().get("quickbooks"), model.entities().get("account").mappings().get("quickbooks"), 5000), records::addAll);

        assertThat(result.reachedEnd()).isTrue();
        assertThat(result.records()).isEqualTo(records.size());
        assertThat(records.stream().filter(record -> String.valueOf(record.get("DisplayName")).startsWith(run))).hasSize(2500);
        List<QuickBooksStub.Received> pages = quickbooks.received().subList(before, quickbooks.received().size());
        assertThat(pages).hasSize((int) result.pages()).hasSizeGreaterThanOrEqualTo(3);
        for (int i = 0; i < pages.size(); i++) {
            assertThat(pages.get(i).path()).isEqualTo(QuickBooksStub.QUERY);
            assertThat(pages.get(i).parameters().get("query"))
                    .isEqualTo("select * from Customer STARTPOSITION " + (1 + 1000 * i) + " MAXRESULTS 1000");
        }
    }

    /** QuickBooks' notification: {@code intuit-signature}, base64 HMAC-SHA256 of the body with the app's verifier token. */
    private static Response notify(String body, String signedBody, String token) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(signedBody.getBytes(StandardCharsets.UTF_8)));
        return given().contentType(ContentType.JSON).header("intuit-signature", signature).body(body).when().post(NOTIFICATIONS);
    }

    private static String notification(String realmId, String entity, String id, String operation, String lastUpdated) {
        return "{\"eventNotifications\":[{\"realmId\":\"" + realmId + "\",\"dataChangeEvent\":{\"entities\":[{\"name\":\"" + entity
                + "\",\"id\":\"" + id + "\",\"operation\":\"" + operation + "\",\"lastUpdated\":\"" + lastUpdated + "\"}]}}]}";
    }

    @Test
    void signedThinNotificationsAreFetchedAndAppliedOnceAndTamperedOnesRefused() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String id = quickbooks.add(Map.of("DisplayName", "Amy's Bird Sanctuary " + run,
                "PrimaryEmailAddr", Map.of("Address", "Birds-" + run + "@Intuit.com")));
        String body = notification(IntuitOAuthStub.REALM_ID, "Customer", id, "Create", "2026-11-26T15:42:19.000Z");
        String token = QuickBooksStubResource.VERIFIER_TOKEN;

        assertThat(notify(body, body, "not-the-verifier-token").statusCode()).isEqualTo(401);
        assertThat(notify(body.replace(id, id + "0"), body, token).statusCode()).isEqualTo(401); // tampered after signing
        Response first = notify(body, body, token);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.jsonPath().getInt("accepted")).isEqualTo(1);

        Map<String, Object> row = awaitRows("SELECT email, full_name FROM demo_contact WHERE external_id = ?", id).get(0);
        assertThat(row).containsEntry("email", "birds-" + run + "@intuit.com").containsEntry("full_name", "Amy's Bird Sanctuary " + run);
        assertThat(quickbooks.received("GET", QuickBooksStub.CUSTOMER + "/" + id)).hasSize(1);

        // QuickBooks signs no timestamp: the same notification again (a redelivery or a replay) is
        // refused by its event id, made of the company, entity, id and time
        Response again = notify(body, body, token);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.jsonPath().getInt("duplicates")).isEqualTo(1);
        assertThat(query("SELECT event_id FROM inbox WHERE source_system = 'quickbooks' AND record_key = ?", id))
                .singleElement().satisfies(event -> assertThat(event.get("event_id"))
                        .isEqualTo(IntuitOAuthStub.REALM_ID + ":Customer:" + id + ":2026-11-26T15:42:19.000Z"));
        // another company of the app, and another entity, are not this system's
        Response other = notify(notification("4620816365000000000", "Customer", id, "Update", "2026-11-26T15:43:00.000Z"),
                notification("4620816365000000000", "Customer", id, "Update", "2026-11-26T15:43:00.000Z"), token);
        assertThat(other.jsonPath().getInt("skipped")).isEqualTo(1);
        String vendor = notification(IntuitOAuthStub.REALM_ID, "Vendor", id, "Update", "2026-11-26T15:44:00.000Z");
        assertThat(notify(vendor, vendor, token).jsonPath().getInt("skipped")).isEqualTo(1);
        assertThat(query("SELECT count(*) AS n FROM inbox WHERE source_system = 'quickbooks' AND record_key = ?", id).get(0).get("n"))
                .isEqualTo(1L);
    }

    @Test
    void aRotatedRefreshTokenIsKeptAndUsedForTheNextRefresh() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        assertThat(finalStatus(accept("c-" + run + "-1", "rot1-" + run + "@example.com", "Rot1 " + run, "One"))).isEqualTo("done");
        String sealed = (String) query("SELECT refresh_token FROM oauth_grant WHERE system_name = 'quickbooks'").get(0)
                .get("refresh_token");
        int refreshes = intuit.refreshes.get();

        for (int round = 2; round <= 3; round++) {
            intuit.expireAccessTokens(); // an hour passes: QuickBooks answers 401 until a refresh
            long inboxId = accept("c-" + run + "-" + round, "rot" + round + "-" + run + "@example.com", "Rot" + round + " " + run, "N");
            assertThat(finalStatus(inboxId)).isEqualTo("done");
            assertThat(quickbooks.withEmail("rot" + round + "-" + run + "@example.com")).hasSize(1);
        }
        // each refresh spent the refresh token the one before had stored, none twice
        assertThat(intuit.refreshes.get()).isEqualTo(refreshes + 2);
        assertThat(intuit.spentTwice).isEmpty();
        assertThat(query("SELECT refresh_token FROM oauth_grant WHERE system_name = 'quickbooks'").get(0).get("refresh_token"))
                .isNotEqualTo(sealed);
    }

    @Test
    void quickBooksThrottleIsWaitedOutAndTheWriteSentAgain() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        quickbooks.throttleNext(1);
        long inboxId = accept("c-" + run, "limited-" + run + "@example.com", "Limited " + run, "Limited");
        assertThat(finalStatus(inboxId)).isEqualTo("done");

        assertThat(quickbooks.withEmail("limited-" + run + "@example.com")).hasSize(1);
        assertThat(attempts(inboxId)).isGreaterThan(1);
    }

    @Test
    void aFaultIsADeadLetterWithItsDetailAtOnce() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        quickbooks.add(Map.of("DisplayName", "Taken " + run, "PrimaryEmailAddr", Map.of("Address", "first-" + run + "@example.com")));
        long inboxId = accept("c-" + run, "second-" + run + "@example.com", "Taken " + run, "Second");
        assertThat(finalStatus(inboxId)).isEqualTo("dead");

        assertThat(query("SELECT reason, attempts FROM dead_letter WHERE payload LIKE ?", "%second-" + run + "@%")).singleElement()
                .satisfies(dead -> {
                    assertThat((String) dead.get("reason")).contains("quickbooks rejected POST " + QuickBooksStub.CUSTOMER)
                            .contains("The name supplied already exists").contains("(6240, ValidationFault)");
                    assertThat(dead.get("attempts")).isEqualTo(1);
                });
        assertThat(quickbooks.withEmail("second-" + run + "@example.com")).isEmpty();
    }

    @Test
    void aHubSpotContactsThinEventReachesQuickBooksAsACustomer() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String contact = hubspot.add(Map.of("email", "Lead-" + run + "@Example.com", "firstname", "Katherine", "lastname", "Johnson"));
        long eventId = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
        String events = "[" + HubSpotWebhooks.propertyChange(eventId, contact, "lastname", "Johnson") + "]";

        assertThat(HubSpotWebhooks.post("/webhooks/hubspot/contacts", events, QuickBooksStubResource.HUBSPOT_SECRET).statusCode())
                .isEqualTo(202);

        String id = quickBooksId("lead", "hubspot", contact);
        assertThat(quickbooks.customer(id)).containsEntry("GivenName", "Katherine").containsEntry("FamilyName", "Johnson")
                .containsEntry("DisplayName", "Katherine Johnson")
                .containsEntry("PrimaryEmailAddr", Map.of("Address", "lead-" + run + "@example.com"));
        assertThat(hubspot.received("GET", HubSpotStub.CONTACTS + "/" + contact)).hasSize(1);
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    /**
     * Customers {@code <run>-0 … <run>-<n-1>} in QuickBooks, each linked to its CRM id in the ID map
     * as after an earlier sync; their QuickBooks Ids, in order.
     */
    private List<String> linked(String run, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = quickbooks.add(Map.of("DisplayName", "Linked " + run + " " + i, "FamilyName", "First",
                    "PrimaryEmailAddr", Map.of("Address", run + "-" + i + "@example.com")));
            String canonical = UUID.randomUUID().toString();
            query("INSERT INTO id_map (entity, canonical_id, system, system_id) VALUES ('customer', ?, 'crm', ?),"
                    + " ('customer', ?, 'quickbooks', ?) RETURNING system", canonical, run + "-" + i, canonical, id);
            ids.add(id);
        }
        return ids;
    }

    private static Map<String, Object> changed(String run, int i, String name) {
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("id", run + "-" + i);
        customer.put("email", run + "-" + i + "@example.com");
        customer.put("name", name);
        customer.put("lastName", "Second");
        return customer;
    }

    /** The batch requests that carried this run's customers: how many items each carried. */
    private List<Integer> batches(String run) {
        return quickbooks.received("POST", QuickBooksStub.BATCH).stream().filter(batch -> batch.body().contains(run))
                .map(batch -> ((List<?>) batch.json().get("BatchItemRequest")).size()).toList();
    }

    private void awaitSettled(List<Long> ids) {
        awaitRows("SELECT count(*) AS n FROM inbox WHERE id = ANY(?) AND status IN ('done', 'dead') HAVING count(*) = ?",
                ids.toArray(Long[]::new), (long) ids.size());
    }

    @Test
    void aBacklogOfUpdatesGoesToQuickBooksTenItemsABatchRequest() {
        String run = "batch-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = linked(run, 25);
        List<Long> events = InboxBacklog.storeIn(DATABASE, "customer", "crm", "quickbooks",
                IntStream.range(0, 25).mapToObj(i -> changed(run, i, "Linked " + run + " " + i)).toList());
        awaitSettled(events);

        assertThat(query("SELECT count(*) AS n FROM inbox WHERE id = ANY(?) AND status = 'done'", (Object) events.toArray(Long[]::new))
                .get(0).get("n")).isEqualTo(25L);
        // ceil(25 / 10) batch requests, each update with the SyncToken of one query for its request, none alone
        assertThat(batches(run)).containsExactly(10, 10, 5);
        assertThat(quickbooks.received("POST", QuickBooksStub.CUSTOMER)).noneSatisfy(write -> assertThat(write.body()).contains(run));
        assertThat(quickbooks.received("GET", QuickBooksStub.QUERY).stream()
                .filter(read -> read.parameters().get("query").contains(" in ('" + ids.get(0) + "'"))).hasSize(1);
        QuickBooksStub.Received first = quickbooks.received("POST", QuickBooksStub.BATCH).stream()
                .filter(batch -> batch.body().contains(run)).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> item = ((List<Map<String, Object>>) first.json().get("BatchItemRequest")).get(0);
        assertThat(item).containsEntry("bId", "0").containsEntry("operation", "update");
        // the request carries a requestid made of its items', within the 36 characters Intuit allows a batch's
        assertThat(first.parameters().get("requestid")).isNotBlank().hasSizeLessThanOrEqualTo(36);
        assertThat(item.get("Customer")).isEqualTo(Map.of("Id", ids.get(0), "SyncToken", "0", "sparse", true,
                "PrimaryEmailAddr", Map.of("Address", run + "-0@example.com"), "DisplayName", "Linked " + run + " 0",
                "FamilyName", "Second"));
        assertThat(ids).allSatisfy(id -> assertThat(quickbooks.customer(id)).containsEntry("FamilyName", "Second")
                .containsEntry("SyncToken", "1"));
        assertThat(auditDetail(events.get(0))).startsWith("updated").contains("quickbooks batch (10 items): updated");
    }

    @Test
    void anItemQuickBooksRefusesInABatchIsADeadLetterWithItsFaultAndTheOthersAreApplied() {
        String run = "partial-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = linked(run, 5);
        quickbooks.add(Map.of("DisplayName", "Taken " + run));
        List<Long> events = InboxBacklog.storeIn(DATABASE, "customer", "crm", "quickbooks",
                IntStream.range(0, 5).mapToObj(i -> changed(run, i, i == 2 ? "Taken " + run : "Linked " + run + " " + i)).toList());
        awaitSettled(events);

        // one request for the five; the refused item's event fails alone at once with QuickBooks' Fault,
        // the others are recorded from the request's answer without a second write
        assertThat(batches(run)).containsExactly(5);
        assertThat(quickbooks.received("POST", QuickBooksStub.CUSTOMER)).noneSatisfy(write -> assertThat(write.body()).contains(run));
        for (int i = 0; i < 5; i++) {
            assertThat(query("SELECT status FROM inbox WHERE id = ?", events.get(i)).get(0).get("status"))
                    .as("customer %d", i).isEqualTo(i == 2 ? "dead" : "done");
            assertThat(quickbooks.customer(ids.get(i))).as("customer %d", i)
                    .containsEntry("FamilyName", i == 2 ? "First" : "Second");
        }
        assertThat(query("SELECT reason, attempts FROM dead_letter WHERE payload LIKE ?", "%" + run + "-2@%")).singleElement()
                .satisfies(row -> {
                    assertThat((String) row.get("reason")).contains("The name supplied already exists").contains("6240");
                    assertThat(row.get("attempts")).isEqualTo(1);
                });
        assertThat(auditDetail(events.get(0))).startsWith("updated").contains("quickbooks batch (5 items) (its batch's call): updated");
    }

    // --- invoices: their customer and lines ----------------------------------------------------

    /** Items {@code p-<run>-0 … } in QuickBooks, each linked to its CRM id as after an earlier sync; their QuickBooks Ids, in order. */
    private List<String> linkedItems(String run, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = quickbooks.addItem("Item " + run + " " + i);
            String canonical = UUID.randomUUID().toString();
            query("INSERT INTO id_map (entity, canonical_id, system, system_id) VALUES ('product', ?, 'crm', ?),"
                    + " ('product', ?, 'quickbooks', ?) RETURNING system", canonical, "p-" + run + "-" + i, canonical, id);
            ids.add(id);
        }
        return ids;
    }

    /** A CRM invoice of two lines: two of item 0 at 75.00, and {@code secondQuantity} of item 1 at 12.50. */
    private static long acceptInvoice(String run, String customer, int secondQuantity) {
        Integer inboxId = given().contentType(ContentType.JSON).body(invoice("inv-" + run, run, customer, secondQuantity)).when()
                .post("/webhooks/crm/invoices").then().statusCode(202).extract().path("inboxId");
        return inboxId.longValue();
    }

    /** The CRM's invoice {@code id} of {@link #acceptInvoice}, its lines naming this run's items and described with the run. */
    private static Map<String, Object> invoice(String id, String run, String customer, int secondQuantity) {
        Map<String, Object> invoice = new LinkedHashMap<>();
        invoice.put("id", id);
        invoice.put("customerId", customer);
        invoice.put("dueDate", "2026-12-31");
        invoice.put("lines", List.of(
                Map.of("description", "Rock fountain " + run, "productId", "p-" + run + "-0", "qty", 2, "unitPrice", 75, "amount", 150),
                Map.of("description", "Fountain pump " + run, "productId", "p-" + run + "-1", "qty", secondQuantity, "unitPrice", 12.5,
                        "amount", 12.5 * secondQuantity)));
        return invoice;
    }

    /** The invoice's sales lines as QuickBooks holds them: each line's item Id, quantity, unit price and amount. */
    @SuppressWarnings("unchecked")
    private static List<List<Object>> salesLines(Object lines) {
        return ((List<Map<String, Object>>) lines).stream().filter(line -> "SalesItemLineDetail".equals(line.get("DetailType")))
                .map(line -> {
                    Map<String, Object> detail = (Map<String, Object>) line.get("SalesItemLineDetail");
                    return List.<Object>of(((Map<String, Object>) detail.get("ItemRef")).get("value"),
                            ((Number) detail.get("Qty")).doubleValue(), ((Number) detail.get("UnitPrice")).doubleValue(),
                            ((Number) line.get("Amount")).doubleValue());
                }).toList();
    }

    /** The invoice bodies QuickBooks was sent (creates and updates) with this run's lines (their descriptions name the run). */
    private List<QuickBooksStub.Received> invoiceWrites(String run) {
        return quickbooks.received("POST", QuickBooksStub.INVOICE).stream().filter(request -> request.body().contains(run))
                .toList();
    }

    @Test
    void anInvoiceReachesQuickBooksWithTheQuickBooksIdsOfItsCustomerAndItsLinesItems() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        assertThat(finalStatus(accept("c-" + run, "inv-" + run + "@example.com", "Buyer " + run, "Invoiced"))).isEqualTo("done");
        String customer = quickBooksId("customer", "crm", "c-" + run);
        List<String> items = linkedItems(run, 2);

        long inboxId = acceptInvoice(run, "c-" + run, 1);
        assertThat(finalStatus(inboxId)).isEqualTo("done");

        String id = quickBooksId("invoice", "crm", "inv-" + run);
        Map<String, Object> invoice = quickbooks.invoice(id);
        assertThat(invoice).containsEntry("CustomerRef", Map.of("value", customer)).containsEntry("DueDate", "2026-12-31")
                .containsEntry("SyncToken", "0");
        assertThat(((Number) invoice.get("TotalAmt")).doubleValue()).isEqualTo(162.5);
        assertThat(salesLines(invoice.get("Line"))).containsExactly(List.of(items.get(0), 2.0, 75.0, 150.0),
                List.of(items.get(1), 1.0, 12.5, 12.5));
        // the create names QuickBooks' Ids only, each line a sales item line as Intuit's reference has it
        assertThat(invoiceWrites(run)).singleElement().satisfies(create -> {
            assertThat(create.json()).doesNotContainKey("Id").containsEntry("CustomerRef", Map.of("value", customer));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> lines = (List<Map<String, Object>>) create.json().get("Line");
            assertThat(lines).hasSize(2).allSatisfy(line -> assertThat(line).containsEntry("DetailType", "SalesItemLineDetail")
                    .containsKeys("Amount", "Description").doesNotContainKeys("Id", "LineNum"));
            assertThat(create.body()).doesNotContain("c-" + run).doesNotContain("p-" + run);
        });
        assertThat(auditDetail(inboxId)).startsWith("created").contains("quickbooks create: created " + id);
        // QuickBooks answers with its computed subtotal line last; a read gives the lines as written
        assertThat((List<?>) invoice.get("Line")).hasSize(3);
        Map<String, Object> read = types.of("quickbooks").fetch("invoice", "quickbooks", id).orElseThrow();
        assertThat((List<?>) read.get("Line")).hasSize(2);
        assertThat(salesLines(read.get("Line"))).isEqualTo(salesLines(invoice.get("Line")));
    }

    @Test
    void aChangedLineIsASparseUpdateCarryingTheWholeLineArrayAndTheCurrentSyncToken() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        assertThat(finalStatus(accept("c-" + run, "upd-" + run + "@example.com", "Payer " + run, "Updated"))).isEqualTo("done");
        List<String> items = linkedItems(run, 2);
        assertThat(finalStatus(acceptInvoice(run, "c-" + run, 1))).isEqualTo("done");
        String id = quickBooksId("invoice", "crm", "inv-" + run);
        quickbooks.changeInvoiceInQuickBooks(id, "PrivateNote", "checked by accounts"); // SyncToken 0 -> 1 in QuickBooks

        long update = acceptInvoice(run, "c-" + run, 3);
        assertThat(finalStatus(update)).isEqualTo("done");

        QuickBooksStub.Received sent = last(invoiceWrites(run));
        assertThat(sent.json()).containsEntry("Id", id).containsEntry("SyncToken", "1").containsEntry("sparse", true);
        // QuickBooks replaces the lines with the Line sent, sparse or not: both lines go, not the changed one alone
        assertThat(salesLines(sent.json().get("Line"))).containsExactly(List.of(items.get(0), 2.0, 75.0, 150.0),
                List.of(items.get(1), 3.0, 12.5, 37.5));
        Map<String, Object> invoice = quickbooks.invoice(id);
        assertThat(invoice).containsEntry("SyncToken", "2").containsEntry("PrivateNote", "checked by accounts");
        assertThat(salesLines(invoice.get("Line"))).containsExactly(List.of(items.get(0), 2.0, 75.0, 150.0),
                List.of(items.get(1), 3.0, 12.5, 37.5));
        assertThat(((Number) invoice.get("TotalAmt")).doubleValue()).isEqualTo(187.5);
        assertThat(auditDetail(update)).startsWith("updated").contains("quickbooks update " + id + ": updated with SyncToken 1");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aBacklogOfInvoiceUpdatesGoesInOneBatchRequestEachItemWithItsWholeLines() {
        String run = "inv-batch-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(finalStatus(accept("c-" + run, run + "@example.com", "Batch " + run, "Invoiced"))).isEqualTo("done");
        List<String> items = linkedItems(run, 2);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Integer created = given().contentType(ContentType.JSON).body(invoice(run + "-" + i, run, "c-" + run, 1)).when()
                    .post("/webhooks/crm/invoices").then().statusCode(202).extract().path("inboxId");
            assertThat(finalStatus(created.longValue())).isEqualTo("done");
            ids.add(quickBooksId("invoice", "crm", run + "-" + i));
        }

        List<Long> events = InboxBacklog.storeIn(DATABASE, "invoice", "crm", "quickbooks",
                IntStream.range(0, 3).mapToObj(i -> invoice(run + "-" + i, run, "c-" + run, 2 + i)).toList());
        awaitSettled(events);

        assertThat(query("SELECT count(*) AS n FROM inbox WHERE id = ANY(?) AND status = 'done'", (Object) events.toArray(Long[]::new))
                .get(0).get("n")).isEqualTo(3L);
        assertThat(batches(run)).containsExactly(3);
        QuickBooksStub.Received batch = quickbooks.received("POST", QuickBooksStub.BATCH).stream()
                .filter(request -> request.body().contains(run)).findFirst().orElseThrow();
        List<Map<String, Object>> sent = (List<Map<String, Object>>) batch.json().get("BatchItemRequest");
        for (int i = 0; i < 3; i++) {
            assertThat(sent.get(i)).containsEntry("operation", "update");
            Map<String, Object> update = (Map<String, Object>) sent.get(i).get("Invoice");
            assertThat(update).containsEntry("Id", ids.get(i)).containsEntry("SyncToken", "0").containsEntry("sparse", true);
            assertThat(salesLines(update.get("Line"))).containsExactly(List.of(items.get(0), 2.0, 75.0, 150.0),
                    List.of(items.get(1), 2.0 + i, 12.5, 12.5 * (2 + i)));
            assertThat(quickbooks.invoice(ids.get(i))).containsEntry("SyncToken", "1");
            assertThat(salesLines(quickbooks.invoice(ids.get(i)).get("Line"))).isEqualTo(salesLines(update.get("Line")));
        }
    }

    @Test
    void anInvoiceCreateWhoseAnswerIsLostIsSentAgainWithItsRequestIdAndMadeOnce() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        assertThat(finalStatus(accept("c-" + run, "lost-" + run + "@example.com", "Lost " + run, "Answer"))).isEqualTo("done");
        linkedItems(run, 2);

        // QuickBooks saves the invoice, then the connection drops before its answer; an invoice has
        // no match rule to find it by, so only the requestid keeps the retry from making a second
        quickbooks.loseNextAnswer();
        long inboxId = acceptInvoice(run, "c-" + run, 1);
        assertThat(finalStatus(inboxId)).isEqualTo("done");

        List<QuickBooksStub.Received> creates = invoiceWrites(run);
        assertThat(creates).hasSize(2);
        String requestId = creates.get(0).parameters().get("requestid");
        assertThat(requestId).isNotBlank().hasSizeLessThanOrEqualTo(50);
        assertThat(creates.get(1).parameters()).containsEntry("requestid", requestId);
        List<String> made = quickbooks.invoices().entrySet().stream()
                .filter(invoice -> String.valueOf(invoice.getValue().get("Line")).contains(run)).map(Map.Entry::getKey).toList();
        assertThat(made).containsExactly(quickBooksId("invoice", "crm", "inv-" + run));
        assertThat(query("SELECT count(*) AS n FROM id_map WHERE entity = 'invoice' AND system = 'quickbooks' AND system_id = ?",
                made.get(0)).get(0).get("n")).isEqualTo(1L);

        // a later event of the same invoice is a new request, with a new requestid
        assertThat(finalStatus(acceptInvoice(run, "c-" + run, 3))).isEqualTo("done");
        List<QuickBooksStub.Received> writes = invoiceWrites(run);
        assertThat(writes).hasSize(3);
        assertThat(writes.get(2).json()).containsEntry("Id", made.get(0));
        assertThat(writes.get(2).parameters().get("requestid")).isNotBlank().isNotEqualTo(requestId);
        assertThat(salesLines(quickbooks.invoice(made.get(0)).get("Line"))).extracting(line -> line.get(1)).containsExactly(2.0, 3.0);
    }

    @Test
    void aDeletedInvoiceIsDeletedInQuickBooksWithItsCurrentSyncToken() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        assertThat(finalStatus(accept("c-" + run, "del-" + run + "@example.com", "Gone " + run, "Deleted"))).isEqualTo("done");
        linkedItems(run, 2);
        assertThat(finalStatus(acceptInvoice(run, "c-" + run, 1))).isEqualTo("done");
        String id = quickBooksId("invoice", "crm", "inv-" + run);
        quickbooks.changeInvoiceInQuickBooks(id, "PrivateNote", "sent to the customer"); // SyncToken 0 -> 1

        Integer deleted = given().contentType(ContentType.JSON).body(Map.of("id", "inv-" + run, "deleted", true)).when()
                .post("/webhooks/crm/invoices").then().statusCode(202).extract().path("inboxId");
        assertThat(finalStatus(deleted.longValue())).isEqualTo("done");

        // a transaction is deleted, not made inactive as a customer is: an invoice has no Active
        assertThat(quickbooks.invoice(id)).isNull();
        assertThat(quickbooks.received("POST", QuickBooksStub.INVOICE).stream()
                .filter(request -> "delete".equals(request.parameters().get("operation")))).singleElement()
                .satisfies(request -> assertThat(request.json()).isEqualTo(Map.of("Id", id, "SyncToken", "1")));
    }

    @Test
    void anInvoiceWhoseCustomerIsNotLinkedYetWaitsAndLandsOnceItIs() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> items = linkedItems(run, 2);

        long inboxId = acceptInvoice(run, "c-" + run, 1);
        assertThat((String) awaitRows("SELECT last_error FROM inbox WHERE id = ? AND status = 'pending'"
                + " AND last_error LIKE 'waiting for parent: %'", inboxId).get(0).get("last_error"))
                .contains("invoice.customer names customer c-" + run + " of crm");
        assertThat(query("SELECT count(*) AS n FROM dead_letter WHERE payload LIKE ?", "%inv-" + run + "%").get(0).get("n"))
                .isEqualTo(0L);
        assertThat(invoiceWrites(run)).isEmpty();

        assertThat(finalStatus(accept("c-" + run, "late-" + run + "@example.com", "Late " + run, "Linked"))).isEqualTo("done");
        String customer = quickBooksId("customer", "crm", "c-" + run);

        assertThat(finalStatus(inboxId)).isEqualTo("done");
        Map<String, Object> invoice = quickbooks.invoice(quickBooksId("invoice", "crm", "inv-" + run));
        assertThat(invoice).containsEntry("CustomerRef", Map.of("value", customer));
        assertThat(salesLines(invoice.get("Line"))).extracting(line -> line.get(0)).containsExactlyElementsOf(items);
        assertThat(invoiceWrites(run)).hasSize(1);
    }
}
