package io.syncline.connector.xero;

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
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.XeroStub;
import io.syncline.testsupport.XeroStubResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Billing's customers (PostgreSQL) and a Xero organisation's contacts through {@code type: xero}
 * (the preset, and the xero plug-in's search), both ways, against a stub of Xero's Accounting API
 * and identity server (src/test/resources/xero-routes): a customer made in billing is created in
 * Xero with {@code PUT /Contacts {"Contacts": [{…}]}} and its ContactID read from the answer's
 * envelope; one whose e-mail Xero has is linked by search, not created twice; an edit in Xero
 * arrives through a signed thin webhook event, fetched, and is not written back; the intent to
 * receive is answered; a 429 is waited out; Xero's validation error is a dead letter's reason; a
 * backlog of new customers goes to Xero 50 a {@code PUT /Contacts?summarizeErrors=false}, and a
 * contact Xero refuses there is a dead letter with its validation error while the others are
 * applied; the
 * rotating refresh token is kept and used next; a pull reads every page. Every request is checked
 * against Xero's published OpenAPI description of the Accounting API.
 */
@QuarkusTest
@WithTestResource(XeroStubResource.class)
class XeroPresetTest {

    private static final String DATABASE = XeroStubResource.DATABASE_URL;
    private static final ApiDescription CONTRACT = ApiDescription.published("xero/xero_accounting.yaml");

    XeroStub xero;

    @Inject
    SystemTypes types;

    @Inject
    SyncModelRegistry registry;

    @BeforeAll
    static void billing() throws Exception {
        try (Connection connection = TestDatabase.connect(DATABASE); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS xero_billing_customer (customer_no VARCHAR(64) PRIMARY KEY,"
                    + " name VARCHAR(200), email VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE)");
        }
    }

    /** Every request sent to Xero is one its published API description allows, with the token and the tenant. */
    @AfterEach
    void everyRequestFollowsXerosContract() {
        assertThat(CONTRACT.violations(xero.received())).as("checked against %s", CONTRACT.used()).isEmpty();
        assertThat(xero.received()).allSatisfy(request -> {
            assertThat(request.header("xero-tenant-id")).isEqualTo(XeroStub.TENANT_ID);
            assertThat(request.header("Authorization")).startsWith("Bearer ").hasSizeGreaterThan("Bearer ".length());
        });
        assertThat(xero.spentTwice).isEmpty();
    }

    private static void customer(String number, String name, String email) {
        TestDatabase.queryOn(DATABASE, "INSERT INTO xero_billing_customer (customer_no, name, email, updated_at)"
                + " VALUES (?, ?, ?, now()) RETURNING customer_no", number, name, email);
    }

    /** Customers {@code <run>-0 … <run>-<n-1>} made in billing in one statement, so that one poll finds them all. */
    private static void customers(String run, int n, java.util.function.IntFunction<String> name) {
        StringBuilder values = new StringBuilder();
        List<Object> parameters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            values.append(i == 0 ? "" : ", ").append("(?, ?, ?, now())");
            parameters.addAll(List.of(run + "-" + i, name.apply(i), run + "-" + i + "@batch.example"));
        }
        TestDatabase.queryOn(DATABASE, "INSERT INTO xero_billing_customer (customer_no, name, email, updated_at) VALUES "
                + values + " RETURNING customer_no", parameters.toArray());
    }

    /** The batch calls ({@code PUT /Contacts?summarizeErrors=false}) that carried this run's contacts: how many each carried. */
    private List<Integer> batchPuts(String run) {
        return xero.received("PUT", XeroStub.CONTACTS).stream()
                .filter(put -> "summarizeErrors=false".equals(put.query()) && put.body().contains(run))
                .map(put -> ((List<?>) put.json().get("Contacts")).size()).toList();
    }

    private static List<Map<String, Object>> query(String sql, Object... parameters) {
        return TestDatabase.queryOn(DATABASE, sql, parameters);
    }

    private static String contactIdOf(String customer) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT system_id FROM id_map WHERE entity = 'contact'"
                + " AND system = 'xero' AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'contact'"
                + " AND system = 'billing' AND system_id = ?)", customer).get(0).get("system_id");
    }

    private static Response postXero(String body, String key) {
        return given().contentType(ContentType.JSON).header("x-xero-signature", XeroStub.signature(body, key))
                .body(body).when().post("/webhooks/xero/contacts");
    }

    @Test
    void aCustomerMadeInBillingIsCreatedInXeroInItsEnvelope() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        customer("C-" + run, "Acme " + run, "ap-" + run + "@acme.example");

        String contactId = contactIdOf("C-" + run);
        assertThat(xero.contact(contactId)).containsEntry("Name", "Acme " + run)
                .containsEntry("EmailAddress", "ap-" + run + "@acme.example").containsEntry("AccountNumber", "C-" + run);
        assertThat(xero.received("PUT", XeroStub.CONTACTS)).anySatisfy(put -> assertThat(put.json()).containsOnlyKeys("Contacts"));
        // the write Syncline made comes back by the next poll of billing's own row: nothing is written again
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> xero.received("POST", XeroStub.CONTACTS + "/" + contactId).isEmpty());
    }

    @Test
    void aContactXeroHasUnderTheEmailIsLinkedBySearchAndNotCreatedTwice() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String existing = xero.add(Map.of("Name", "Globex " + run, "EmailAddress", "billing-" + run + "@globex.example"));

        customer("G-" + run, "Globex " + run, "billing-" + run + "@globex.example");

        assertThat(contactIdOf("G-" + run)).isEqualTo(existing);
        assertThat(xero.find("EmailAddress", "billing-" + run + "@globex.example")).containsExactly(existing);
        assertThat(xero.received()).anySatisfy(search -> assertThat(search.query())
                .isEqualTo("where=EmailAddress%3D%3D%22billing-" + run + "%40globex.example%22"));
        assertThat(query("SELECT detail FROM audit_log WHERE target_system = 'xero' AND target_id = ?", existing))
                .anySatisfy(row -> assertThat((String) row.get("detail")).contains("matched by email (0.95)"));
    }

    @Test
    void anEditInXeroArrivesByItsSignedThinEventAndIsFetched() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        customer("E-" + run, "Initech " + run, "ops-" + run + "@initech.example");
        String contactId = contactIdOf("E-" + run);
        xero.edit(contactId, Map.of("Name", "Initech Holdings " + run));
        String event = XeroStub.contactEvent(contactId, "UPDATE");

        assertThat(postXero(event, "not-the-webhook-key").statusCode()).isEqualTo(401);
        postXero(event, XeroStubResource.WEBHOOK_KEY).then().statusCode(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> !query("SELECT 1 FROM xero_billing_customer WHERE customer_no = ?"
                + " AND name = ?", "E-" + run, "Initech Holdings " + run).isEmpty());
        assertThat(xero.received("GET", XeroStub.CONTACTS + "/" + contactId)).hasSize(1);
        // billing's row, written from Xero, is not sent back to Xero by billing's poll
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> xero.received("POST", XeroStub.CONTACTS + "/" + contactId).isEmpty());
    }

    @Test
    void xerosIntentToReceiveIsAnsweredByTheSignature() {
        String intent = "{\"events\":[],\"firstEventSequence\":0,\"lastEventSequence\":0,\"entropy\":\"" + UUID.randomUUID() + "\"}";

        postXero(intent, XeroStubResource.WEBHOOK_KEY).then().statusCode(200).body(org.hamcrest.Matchers.emptyString());
        postXero(intent, "a-guessed-key").then().statusCode(401);
    }

    @Test
    void xerosMinuteLimitIsWaitedOut() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        xero.rateLimitNext(1);
        customer("L-" + run, "Limited " + run, "l-" + run + "@limited.example");

        assertThat(xero.contact(contactIdOf("L-" + run))).containsEntry("Name", "Limited " + run);
    }

    @Test
    void xerosValidationErrorIsTheDeadLettersReason() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        xero.add(Map.of("Name", "Taken " + run));

        customer("V-" + run, "Taken " + run, "v-" + run + "@taken.example");

        Map<String, Object> dead = TestDatabase.awaitRowsOn(DATABASE, "SELECT reason FROM dead_letter WHERE payload LIKE ?",
                "%V-" + run + "%").get(0);
        assertThat((String) dead.get("reason")).contains("xero rejected PUT /api.xro/2.0/Contacts")
                .contains("The contact name Taken " + run + " is already assigned to another contact");
    }

    @Test
    void theRotatedRefreshTokenIsKeptAndUsedNext() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        customer("R-" + run, "Rotation " + run, "r-" + run + "@rotation.example");
        contactIdOf("R-" + run);
        int refreshes = xero.refreshes.get();
        long refreshed = (Long) query("SELECT refreshed_count FROM oauth_grant WHERE system_name = 'xero'").get(0).get("refreshed_count");

        for (int i = 0; i < 3; i++) {
            // the access token runs out: Xero answers 401, and the call is sent again after a refresh with
            // the refresh token Xero issued last (the one it spent would answer invalid_grant)
            xero.expireAccessTokens();
            String customer = "R" + i + "-" + run;
            customer(customer, "Rotation " + i + " " + run, "r" + i + "-" + run + "@rotation.example");
            contactIdOf(customer);
        }

        assertThat(xero.refreshes.get()).isEqualTo(refreshes + 3);
        assertThat((Long) query("SELECT refreshed_count FROM oauth_grant WHERE system_name = 'xero'").get(0).get("refreshed_count"))
                .isEqualTo(refreshed + 3);
    }

    @Test
    void aPullReadsEveryPageToTheEnd() throws Exception {
        String run = "pull-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 250; i++) {
            xero.add(Map.of("Name", run + " " + i, "EmailAddress", run + "-" + i + "@example.com"));
        }
        var model = registry.current().model();
        List<Map<String, Object>> pulled = new ArrayList<>();

        PullResult result = types.of("xero").puller().pull(new PullRequest("contact", "xero", model.systems().get("xero"),
                model.entities().get("contact").mappings().get("xero"), 100), pulled::addAll);

        assertThat(result.reachedEnd()).isTrue();
        assertThat(pulled.stream().filter(contact -> String.valueOf(contact.get("Name")).startsWith(run))).hasSize(250);
        assertThat(xero.received("GET", XeroStub.CONTACTS).stream().map(HubSpotStub.Received::query)
                .filter(query -> query != null && query.contains("pageSize=100"))).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void aBacklogOfNewCustomersIsCreatedInXeroFiftyABatchCall() {
        String run = "batch-" + UUID.randomUUID().toString().substring(0, 8);
        customers(run, 60, i -> "Batch " + run + " " + i);

        for (int i = 0; i < 60; i++) {
            String contactId = contactIdOf(run + "-" + i);
            assertThat(xero.find("EmailAddress", run + "-" + i + "@batch.example")).as("contact %d", i).containsExactly(contactId);
        }
        // ceil(60 / 50) calls: one of 50 and one of 10, no create alone
        assertThat(batchPuts(run)).containsExactly(50, 10);
        // matched first by e-mail, ten ORed in one where: six lookups, not one a contact
        List<HubSpotStub.Received> lookups = xero.received("GET", XeroStub.CONTACTS).stream()
                .filter(get -> get.query() != null && get.query().startsWith("where=") && get.query().contains(run)).toList();
        assertThat(lookups).hasSize(6).allSatisfy(get -> assertThat(java.net.URLDecoder.decode(get.query(),
                java.nio.charset.StandardCharsets.UTF_8)).contains("@batch.example\" OR EmailAddress==\""));
        assertThat(xero.received("PUT", XeroStub.CONTACTS)).noneSatisfy(put -> assertThat(put.query() == null && put.body().contains(run)).isTrue());
        assertThat(query("SELECT detail FROM audit_log WHERE target_system = 'xero' AND target_id = ?", contactIdOf(run + "-0")))
                .anySatisfy(row -> assertThat((String) row.get("detail"))
                        .contains("xero PUT /api.xro/2.0/Contacts?summarizeErrors=false (50 records): created"));
    }

    @Test
    void aContactXeroRefusesInABatchIsADeadLetterWithItsReasonAndTheOthersAreApplied() {
        String run = "partial-" + UUID.randomUUID().toString().substring(0, 8);
        xero.add(Map.of("Name", "Taken " + run));

        customers(run, 5, i -> i == 2 ? "Taken " + run : "Partial " + run + " " + i);

        Map<String, Object> dead = TestDatabase.awaitRowsOn(DATABASE, "SELECT reason, attempts FROM dead_letter WHERE payload LIKE ?",
                "%" + run + "-2%").get(0);
        assertThat((String) dead.get("reason")).contains("The contact name Taken " + run + " is already assigned to another contact");
        assertThat(dead.get("attempts")).isEqualTo(1);
        for (int i : new int[]{0, 1, 3, 4}) {
            assertThat(xero.contact(contactIdOf(run + "-" + i))).as("contact %d", i).containsEntry("Name", "Partial " + run + " " + i);
            assertThat(xero.find("EmailAddress", run + "-" + i + "@batch.example")).hasSize(1);
        }
        // one call for the five; the four it saved are recorded from its answer, not sent again
        assertThat(batchPuts(run)).containsExactly(5);
        assertThat(xero.received("PUT", XeroStub.CONTACTS)).noneSatisfy(put -> assertThat(put.query() == null && put.body().contains(run)).isTrue());
        assertThat(xero.find("Name", "Taken " + run)).hasSize(1);
    }
}
