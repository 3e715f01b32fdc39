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
import java.util.Arrays;
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
 * rotating refresh token is kept and used next; a pull reads every page. Billing's invoices (lines
 * in a jsonb column) reach Xero with their customer's ContactID and their line items, an update
 * carrying every line; an invoice whose customer is not linked yet waits for it; a ContactID Xero
 * does not have is a dead letter with Xero's validation message; invoices are pulled page by page.
 * Every request is checked against Xero's published OpenAPI description of the Accounting API (its
 * invoice requests against the Invoices excerpt where the whole file is not placed).
 */
@QuarkusTest
@WithTestResource(XeroStubResource.class)
class XeroPresetTest {

    private static final String DATABASE = XeroStubResource.DATABASE_URL;
    private static final ApiDescription CONTRACT = ApiDescription.published("xero/xero_accounting.yaml");
    private static final ApiDescription INVOICES = ApiDescription.published("xero/xero_accounting.yaml",
            "xero-accounting-invoices.json");

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
            statement.execute("CREATE TABLE IF NOT EXISTS xero_billing_invoice (invoice_no VARCHAR(64) PRIMARY KEY,"
                    + " customer_no VARCHAR(64), status VARCHAR(20), lines JSONB, updated_at TIMESTAMP WITH TIME ZONE)");
        }
    }

    /** Every request sent to Xero is one its published API description allows, with the token and the tenant. */
    @AfterEach
    void everyRequestFollowsXerosContract() {
        List<HubSpotStub.Received> invoices = xero.received().stream().filter(request -> request.path().startsWith(XeroStub.INVOICES))
                .toList();
        List<HubSpotStub.Received> others = xero.received().stream().filter(request -> !invoices.contains(request)).toList();
        assertThat(CONTRACT.violations(others)).as("checked against %s", CONTRACT.used()).isEmpty();
        assertThat(INVOICES.violations(invoices)).as("checked against %s", INVOICES.used()).isEmpty();
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

    // --- invoices: their contact and line items ----------------------------------------------

    /** An invoice in billing naming its customer, two lines: two at 75.00, {@code secondQuantity} at 12.50. */
    private static void invoice(String number, String customer, int secondQuantity) {
        String lines = "[{\"description\": \"Rock fountain " + number + "\", \"qty\": 2, \"unit_price\": 75, \"account\": \"200\"},"
                + " {\"description\": \"Fountain pump " + number + "\", \"qty\": " + secondQuantity
                + ", \"unit_price\": 12.5, \"item_code\": \"PUMP\", \"account\": \"200\"}]";
        TestDatabase.queryOn(DATABASE, "INSERT INTO xero_billing_invoice (invoice_no, customer_no, status, lines, updated_at)"
                + " VALUES (?, ?, 'AUTHORISED', ?::jsonb, now()) ON CONFLICT (invoice_no) DO UPDATE SET lines = EXCLUDED.lines,"
                + " updated_at = now() RETURNING invoice_no", number, customer, lines);
    }

    private static String invoiceIdOf(String number) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT system_id FROM id_map WHERE entity = 'invoice'"
                + " AND system = 'xero' AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'invoice'"
                + " AND system = 'billing' AND system_id = ?)", number).get(0).get("system_id");
    }

    /** Each line item's description, quantity, unit amount and item code, as Xero holds or was sent them. */
    @SuppressWarnings("unchecked")
    private static List<List<Object>> lineItems(Object lines) {
        return ((List<Map<String, Object>>) lines).stream().map(line -> Arrays.<Object>asList(line.get("Description"),
                ((Number) line.get("Quantity")).doubleValue(), ((Number) line.get("UnitAmount")).doubleValue(),
                line.get("ItemCode"))).toList();
    }

    /** The invoice writes (creates and updates, one by one or in batches) that carried this run's invoice. */
    private List<HubSpotStub.Received> invoiceWrites(String run) {
        return xero.received().stream().filter(request -> request.path().startsWith(XeroStub.INVOICES)
                && !request.method().equals("GET") && request.body().contains(run)).toList();
    }

    @Test
    void anInvoiceMadeInBillingReachesXeroWithItsContactsIdAndItsLineItems() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        customer("IC-" + run, "Invoiced " + run, "inv-" + run + "@acme.example");
        String contactId = contactIdOf("IC-" + run);

        invoice("INV-" + run, "IC-" + run, 1);

        String invoiceId = invoiceIdOf("INV-" + run);
        Map<String, Object> invoice = xero.invoice(invoiceId);
        assertThat(invoice).containsEntry("Type", "ACCREC").containsEntry("Status", "AUTHORISED")
                .containsEntry("Reference", "INV-" + run);
        assertThat(invoice.get("Contact")).isEqualTo(Map.of("ContactID", contactId, "Name", "Invoiced " + run));
        assertThat(lineItems(invoice.get("LineItems"))).containsExactly(
                Arrays.asList("Rock fountain INV-" + run, 2.0, 75.0, null),
                Arrays.asList("Fountain pump INV-" + run, 1.0, 12.5, "PUMP"));
        assertThat(((Number) invoice.get("Total")).doubleValue()).isEqualTo(162.5);
        // created by PUT on the collection, naming Xero's ContactID only, never billing's customer number
        assertThat(invoiceWrites(run)).singleElement().satisfies(put -> {
            assertThat(put.method()).isEqualTo("PUT");
            assertThat(put.path()).isEqualTo(XeroStub.INVOICES);
            @SuppressWarnings("unchecked")
            Map<String, Object> sent = ((List<Map<String, Object>>) put.json().get("Invoices")).get(0);
            assertThat(sent).containsEntry("Contact", Map.of("ContactID", contactId)).doesNotContainKey("InvoiceID");
            assertThat(put.body()).doesNotContain("IC-" + run);
        });
    }

    @Test
    void aChangedLineSendsTheWholeLineItemsAndXeroReplacesTheLines() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        customer("UC-" + run, "Updated " + run, "upd-" + run + "@acme.example");
        contactIdOf("UC-" + run);
        invoice("UPD-" + run, "UC-" + run, 1);
        String invoiceId = invoiceIdOf("UPD-" + run);
        await().atMost(Duration.ofSeconds(10)).until(() -> xero.invoice(invoiceId) != null);

        invoice("UPD-" + run, "UC-" + run, 3);

        await().atMost(Duration.ofSeconds(30)).until(() -> lineItems(xero.invoice(invoiceId).get("LineItems")).size() == 2
                && lineItems(xero.invoice(invoiceId).get("LineItems")).get(1).get(1).equals(3.0));
        assertThat(lineItems(xero.invoice(invoiceId).get("LineItems"))).containsExactly(
                Arrays.asList("Rock fountain UPD-" + run, 2.0, 75.0, null),
                Arrays.asList("Fountain pump UPD-" + run, 3.0, 12.5, "PUMP"));
        assertThat(((Number) xero.invoice(invoiceId).get("Total")).doubleValue()).isEqualTo(187.5);
        // the update is a POST naming the invoice, with every line, not the changed one alone
        HubSpotStub.Received update = invoiceWrites(run).get(invoiceWrites(run).size() - 1);
        assertThat(update.method()).isEqualTo("POST");
        @SuppressWarnings("unchecked")
        Map<String, Object> sent = ((List<Map<String, Object>>) update.json().get("Invoices")).get(0);
        assertThat(update.path().equals(XeroStub.INVOICES + "/" + invoiceId) || invoiceId.equals(sent.get("InvoiceID"))).isTrue();
        assertThat(lineItems(sent.get("LineItems"))).hasSize(2);
    }

    @Test
    void anInvoiceWhoseCustomerIsNotLinkedYetWaitsAndLandsOnceItIs() {
        String run = UUID.randomUUID().toString().substring(0, 8);

        invoice("W-" + run, "WC-" + run, 1);

        assertThat((String) TestDatabase.awaitRowsOn(DATABASE, "SELECT last_error FROM inbox WHERE status = 'pending'"
                + " AND payload LIKE ? AND last_error LIKE 'waiting for parent: %'", "%W-" + run + "%").get(0).get("last_error"))
                .contains("invoice.contact names contact WC-" + run + " of billing");
        assertThat(invoiceWrites(run)).isEmpty();

        customer("WC-" + run, "Waited " + run, "w-" + run + "@acme.example");

        String contactId = contactIdOf("WC-" + run);
        String invoiceId = invoiceIdOf("W-" + run);
        assertThat(((Map<?, ?>) xero.invoice(invoiceId).get("Contact")).get("ContactID")).isEqualTo(contactId);
        assertThat(query("SELECT count(*) AS n FROM dead_letter WHERE payload LIKE ?", "%W-" + run + "%").get(0).get("n"))
                .isEqualTo(0L);
        assertThat(invoiceWrites(run)).hasSize(1);
    }

    @Test
    void aContactIdXeroDoesNotHaveIsADeadLetterWithXerosValidationMessage() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // linked as after an earlier sync, to a contact since removed from Xero
        String gone = UUID.randomUUID().toString();
        String canonical = UUID.randomUUID().toString();
        query("INSERT INTO id_map (entity, canonical_id, system, system_id) VALUES ('contact', ?, 'billing', ?),"
                + " ('contact', ?, 'xero', ?) RETURNING system", canonical, "GC-" + run, canonical, gone);

        invoice("G-" + run, "GC-" + run, 1);

        Map<String, Object> dead = TestDatabase.awaitRowsOn(DATABASE, "SELECT reason, attempts FROM dead_letter WHERE payload LIKE ?",
                "%G-" + run + "%").get(0);
        assertThat((String) dead.get("reason")).contains("xero rejected PUT /api.xro/2.0/Invoices")
                .contains("The Contact with ContactID " + gone + " could not be found.");
        assertThat(dead.get("attempts")).isEqualTo(1);
    }

    @Test
    void aPullReadsEveryPageOfInvoicesWithTheirContactAndLines() throws Exception {
        String run = "pull-" + UUID.randomUUID().toString().substring(0, 8);
        String contactId = xero.add(Map.of("Name", "Pulled " + run));
        for (int i = 0; i < 120; i++) {
            xero.addInvoice(Map.of("Type", "ACCREC", "Reference", run + "-" + i, "Contact", Map.of("ContactID", contactId),
                    "LineItems", List.of(Map.of("Description", "Line " + i, "Quantity", 1, "UnitAmount", 10))));
        }
        var model = registry.current().model();
        List<Map<String, Object>> pulled = new ArrayList<>();

        PullResult result = types.of("xero").puller().pull(new PullRequest("invoice", "xero", model.systems().get("xero"),
                model.entities().get("invoice").mappings().get("xero"), 100), pulled::addAll);

        assertThat(result.reachedEnd()).isTrue();
        List<Map<String, Object>> ours = pulled.stream().filter(invoice -> String.valueOf(invoice.get("Reference")).startsWith(run))
                .toList();
        assertThat(ours).hasSize(120).allSatisfy(invoice -> {
            assertThat(((Map<?, ?>) invoice.get("Contact")).get("ContactID")).isEqualTo(contactId);
            assertThat((List<?>) invoice.get("LineItems")).hasSize(1);
        });
        assertThat(xero.received("GET", XeroStub.INVOICES).stream().map(HubSpotStub.Received::query)
                .filter(query -> query != null && query.contains("pageSize=100"))).hasSizeGreaterThanOrEqualTo(2);
    }
}
