package io.syncline.connector.stripe;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.testsupport.ApiDescription;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.LinkedRecords;
import io.syncline.testsupport.StripeStub;
import io.syncline.testsupport.StripeStubResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
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
 * Customers into and out of Stripe through {@code type: stripe} (the preset, and the stripe plug-in
 * for search), against a stub of Stripe's customers API, with the state store on PostgreSQL:
 * form-encoded writes with an {@code Idempotency-Key}; a customer whose e-mail Stripe has linked by
 * Stripe's search, not created twice; a create whose answer was lost retried with its key and
 * created once; Stripe's 429 and an idempotency 409 waited out; its error body a dead letter's
 * reason; pages pulled to the end, 100 a page, by {@code starting_after}; Stripe's signed event
 * envelopes (valid, tampered, stale) applied to a table; and a HubSpot contact, announced by
 * HubSpot's thin webhook event, made a Stripe customer; and Stripe's invoices: an invoice event
 * written to billing's table with billing's id of the customer and all its lines (those beyond the
 * ten Stripe embeds read from the invoice's lines), an invoice whose customer is not linked yet
 * waiting for the customer's event, and invoices pulled with all their lines. Every request sent to Stripe is checked
 * against Stripe's published description of the API ({@link ApiDescription}).
 */
@QuarkusTest
@TestProfile(StripePresetTest.QuickRetries.class)
@WithTestResource(StripeStubResource.class)
class StripePresetTest {

    static final String WEBHOOK_SECRET = "whsec_syncline0000stripe0000endpoint";
    static final String HUBSPOT_SECRET = "hubspot-client-secret-0000";
    static final ApiDescription CONTRACT = ApiDescription.kept("stripe-customers.json");
    static final ApiDescription SUBSCRIPTIONS = ApiDescription.kept("stripe-subscriptions.json");
    static final ApiDescription INVOICES = ApiDescription.kept("stripe-invoices.json");
    static final ApiDescription WEBHOOK_ENDPOINTS = ApiDescription.kept("stripe-webhook-endpoints.json");
    static final ApiDescription HUBSPOT_CONTRACT = ApiDescription.published("hubspot/contacts.json");

    /** Quick retries of the inbox, and the webhook secrets. */
    public static class QuickRetries implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("syncline.inbox.retry-delay", "200ms", "syncline.inbox.max-retry-delay", "2s",
                    "syncline.inbox.max-attempts", "6",
                    "STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET, "HUBSPOT_CLIENT_SECRET", HUBSPOT_SECRET);
        }
    }

    StripeStub stripe;

    HubSpotStub hubspot;

    @Inject
    SystemTypes types;

    @Inject
    SyncModelRegistry registry;

    /** Billing's invoices, written from Stripe's: the lines in a jsonb column. */
    @BeforeAll
    static void billingInvoices() throws Exception {
        try (Connection connection = TestDatabase.connect(StripeStubResource.DATABASE_URL);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS stripe_billing_invoice (invoice_id VARCHAR(64) PRIMARY KEY,"
                    + " customer_id VARCHAR(64), number VARCHAR(64), status VARCHAR(20), lines JSONB)");
        }
    }

    /** Every request sent to Stripe is one its published API description allows, with the secret key; every fetch from HubSpot one HubSpot's allows. */
    @AfterEach
    void everyRequestFollowsStripesContract() {
        List<String> violations = new ArrayList<>();
        for (StripeStub.Received request : stripe.received()) {
            ApiDescription description = request.path().startsWith(StripeStub.SUBSCRIPTIONS) ? SUBSCRIPTIONS
                    : request.path().startsWith(StripeStub.INVOICES) ? INVOICES
                    : request.path().startsWith(StripeStub.WEBHOOK_ENDPOINTS) ? WEBHOOK_ENDPOINTS : CONTRACT;
            violations.addAll(description.violations(request.method(), request.path(), request.query(), request.headers(),
                    request.body()));
        }
        assertThat(violations).isEmpty();
        assertThat(stripe.received()).allSatisfy(request -> assertThat(request.header("Authorization")).isEqualTo("Bearer " + StripeStubResource.SECRET_KEY));
        assertThat(HUBSPOT_CONTRACT.violations(hubspot.received())).as("checked against %s", HUBSPOT_CONTRACT.used())
                .isEmpty();
    }

    private static long accept(Map<String, Object> customer) {
        Integer inboxId = given().contentType(ContentType.JSON).body(customer).when().post("/webhooks/crm/customers")
                .then().statusCode(202).extract().path("inboxId");
        return inboxId.longValue();
    }

    private static Map<String, Object> customer(String id, String email, String name) {
        Map<String, Object> customer = new LinkedHashMap<>();
        customer.put("id", id);
        customer.put("email", email);
        customer.put("name", name);
        customer.put("city", "Lyon");
        return customer;
    }

    private static List<Map<String, Object>> query(String sql, Object... parameters) {
        return TestDatabase.queryOn(StripeStubResource.DATABASE_URL, sql, parameters);
    }

    private static List<Map<String, Object>> awaitRows(String sql, Object... parameters) {
        return TestDatabase.awaitRowsOn(StripeStubResource.DATABASE_URL, sql, parameters);
    }

    private static String finalStatus(long inboxId) {
        return (String) awaitRows("SELECT status FROM inbox WHERE id = ? AND status IN ('done', 'held', 'dead')", inboxId)
                .get(0).get("status");
    }

    private static String stripeId(String entity, String source, String sourceId) {
        return (String) awaitRows("SELECT system_id FROM id_map WHERE entity = ? AND system = 'stripe'"
                + " AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = ? AND system = ? AND system_id = ?)",
                entity, entity, source, sourceId).get(0).get("system_id");
    }

    private static String auditDetail(long inboxId) {
        return (String) query("SELECT action || ': ' || coalesce(detail, '') AS line FROM audit_log WHERE inbox_id = ?"
                + " AND target_system = 'stripe' ORDER BY id", inboxId).get(0).get("line");
    }

    private static String run() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * The check before the first event ({@code GET /admin/check}) finds the webhook path among the
     * account's endpoints: none, one not sent the object's changes, one disabled, each named with
     * its fix in Stripe's dashboard; then one enabled for them.
     */
    @Test
    void theCheckFindsTheWebhookPathAmongStripesEndpointsWithItsEvents() {
        String check = "webhook /webhooks/stripe/customers";
        try {
            assertThat(stripeStep(check, "detail")).isEqualTo("Stripe has no webhook endpoint sending to /webhooks/stripe/customers");
            assertThat(stripeStep(check, "fix")).startsWith("add an endpoint in Stripe (Developers > Webhooks) with the URL"
                    + " https://<this deployment>/webhooks/stripe/customers and the events customer.created, customer.updated;");

            String url = "https://syncline.example.com/webhooks/stripe/customers";
            String endpoint = stripe.addWebhookEndpoint(url, "customer.created", "invoice.paid");
            assertThat(stripeStep(check, "detail")).isEqualTo("the endpoint " + url + " is not sent customer.updated:"
                    + " payer's changes would not reach Syncline");
            assertThat(stripeStep(check, "fix")).isEqualTo("add customer.updated to the events of the endpoint "
                    + endpoint + " in Stripe (Developers > Webhooks)");

            stripe.updateWebhookEndpoint(endpoint, "disabled", "*");
            assertThat(stripeStep(check, "detail")).isEqualTo("the endpoint " + url + " is disabled");

            stripe.updateWebhookEndpoint(endpoint, "enabled", "customer.created", "customer.updated");
            assertThat(stripeStep(check, "outcome")).isEqualTo("PASSED");
            assertThat(stripeStep(check, "detail")).isEqualTo(url + " is enabled for customer.created, customer.updated");
            stripe.removeWebhookEndpoint(endpoint);
        } finally {
            // the check also asked HubSpot for its property definitions, which its contacts description lacks
            hubspot.forgetReceived();
        }
    }

    private static String stripeStep(String check, String part) {
        io.restassured.path.json.JsonPath report = given().auth().preemptive().basic("admin", "test-only-password")
                .when().get("/admin/check").then().statusCode(200).extract().jsonPath();
        String step = "systems.find { it.system == 'stripe' }.checks.find { it.check == '" + check + "' }";
        assertThat(report.getMap(step)).as("%s in %s", check, report.prettify()).isNotNull();
        return report.getString(step + "." + part);
    }

    @Test
    void aNewCustomerIsCreatedWithAFormBodyAndAnIdempotencyKey() {
        String run = run();
        long inboxId = accept(customer("c-" + run, "New-" + run + "@Example.com", "Ada Lovelace"));
        assertThat(finalStatus(inboxId)).isEqualTo("done");

        String id = stripeId("customer", "crm", "c-" + run);
        assertThat(stripe.customer(id)).containsEntry("email", "new-" + run + "@example.com").containsEntry("name", "Ada Lovelace")
                .containsEntry("address", Map.of("city", "Lyon")).containsEntry("metadata", Map.of("crm_id", "c-" + run));
        StripeStub.Received create = stripe.received("POST", StripeStub.CUSTOMERS).stream()
                .filter(request -> request.body().contains(run)).findFirst().orElseThrow();
        assertThat(create.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(create.form()).containsEntry("address[city]", "Lyon").containsEntry("metadata[crm_id]", "c-" + run);
        assertThat(create.header("Idempotency-Key")).startsWith("syncline-");

        // an update is POST /v1/customers/{id}, with a key of its own
        long update = accept(customer("c-" + run, "new-" + run + "@example.com", "Ada King"));
        assertThat(finalStatus(update)).isEqualTo("done");
        assertThat(stripe.customer(id)).containsEntry("name", "Ada King");
        assertThat(stripe.received("POST", StripeStub.CUSTOMERS + "/" + id)).singleElement()
                .satisfies(request -> assertThat(request.header("Idempotency-Key")).startsWith("syncline-").isNotEqualTo(create.header("Idempotency-Key")));
    }

    @Test
    void aCustomerWhoseEmailStripeHasIsLinkedBySearchAndNotCreatedTwice() {
        String run = run();
        String email = "known-" + run + "@example.com";
        String existing = stripe.add(Map.of("email", email, "name", "Ada Lovelace"));
        int creates = stripe.received("POST", StripeStub.CUSTOMERS).size();

        long inboxId = accept(customer("c-" + run, "KNOWN-" + run + "@Example.com", "Ada Lovelace"));
        assertThat(finalStatus(inboxId)).isEqualTo("done");

        assertThat(stripeId("customer", "crm", "c-" + run)).isEqualTo(existing);
        assertThat(stripe.find("email", email)).containsExactly(existing);
        assertThat(stripe.received("POST", StripeStub.CUSTOMERS)).hasSize(creates);
        List<StripeStub.Received> searches = stripe.received("GET", StripeStub.CUSTOMERS + "/search");
        assertThat(searches.get(searches.size() - 1).parameters().get("query")).isEqualTo("email:'" + email + "'");
        assertThat(auditDetail(inboxId)).contains("matched by email (0.95)");
        assertThat(stripe.customer(existing)).containsEntry("metadata", Map.of("crm_id", "c-" + run));
    }

    @Test
    void aCreateWhoseAnswerWasLostIsSentAgainWithItsKeyAndCreatedOnce() {
        String run = run();
        String email = "lost-" + run + "@example.com";
        stripe.searchLag(Duration.ofMinutes(1)); // Stripe's search does not see the first attempt's customer yet
        stripe.loseNextPostAnswer();
        try {
            long inboxId = accept(customer("c-" + run, email, "Grace Hopper"));
            assertThat(finalStatus(inboxId)).isEqualTo("done");

            assertThat(stripe.find("email", email)).as("one customer, however many attempts").hasSize(1);
            assertThat(stripeId("customer", "crm", "c-" + run)).isEqualTo(stripe.find("email", email).get(0));
            List<StripeStub.Received> attempts = stripe.received("POST", StripeStub.CUSTOMERS).stream()
                    .filter(request -> request.body().contains(run)).toList();
            assertThat(attempts).hasSize(2).extracting(StripeStub.Received::status).containsExactly(0, 200);
            assertThat(attempts.get(1).header("Idempotency-Key")).isEqualTo(attempts.get(0).header("Idempotency-Key"));
            assertThat((Integer) query("SELECT attempts FROM inbox WHERE id = ?", inboxId).get(0).get("attempts")).isEqualTo(2);
        } finally {
            stripe.searchLag(Duration.ZERO);
        }
    }

    @Test
    void stripesRateLimitAndAnIdempotencyConflictAreWaitedOut() {
        String run = run();
        stripe.rateLimitNext();
        long limited = accept(customer("c-" + run, "limited-" + run + "@example.com", "Limited"));
        assertThat(finalStatus(limited)).isEqualTo("done");
        assertThat(stripe.customer(stripeId("customer", "crm", "c-" + run))).containsEntry("name", "Limited");
        assertThat((Integer) query("SELECT attempts FROM inbox WHERE id = ?", limited).get(0).get("attempts")).isGreaterThan(1);

        // 409 to a request with a key: the key's first request is still executing; later, its outcome is there
        stripe.failNextPost(409, "idempotency_error", null, "There is currently another in-progress request using this"
                + " Stripe API Key and idempotency key. Please try again later.", null);
        long conflicted = accept(customer("c2-" + run, "conflicted-" + run + "@example.com", "Conflicted"));
        assertThat(finalStatus(conflicted)).isEqualTo("done");
        assertThat(stripe.find("email", "conflicted-" + run + "@example.com")).hasSize(1);
    }

    @Test
    void stripesErrorBodyIsTheDeadLettersReason() {
        String run = run();
        stripe.failNextPost(400, "invalid_request_error", "email_invalid", "Invalid email address: refused-" + run + "@example.com",
                "email");
        long inboxId = accept(customer("c-" + run, "refused-" + run + "@example.com", "Refused"));
        assertThat(finalStatus(inboxId)).isEqualTo("dead");

        assertThat(query("SELECT reason, attempts FROM dead_letter WHERE payload LIKE ?", "%refused-" + run + "@%")).singleElement()
                .satisfies(row -> {
                    assertThat((String) row.get("reason")).contains("stripe rejected")
                            .contains("400 Invalid email address: refused-" + run + "@example.com (email_invalid)");
                    assertThat(row.get("attempts")).isEqualTo(1);
                });
    }

    @Test
    void aPullReadsEveryPageToTheEndAHundredAPage() throws Exception {
        String run = "pull-" + run();
        IntStream.range(0, 250).forEach(i -> stripe.add(Map.of("email", run + "-" + i + "@example.com", "name", "Paged")));
        int before = stripe.received().size();
        var model = registry.current().model();
        List<Map<String, Object>> records = new ArrayList<>();

        PullResult result = types.of("stripe").puller().pull(new PullRequest("payer", "stripe", model.systems().get("stripe"),
                model.entities().get("payer").mappings().get("stripe"), 500), records::addAll);

        assertThat(result.reachedEnd()).isTrue();
        assertThat(records.stream().filter(record -> String.valueOf(record.get("email")).startsWith(run))).hasSize(250);
        assertThat(records.stream().map(record -> record.get("id")).distinct()).hasSize(records.size());
        List<StripeStub.Received> pages = stripe.received().subList(before, stripe.received().size());
        assertThat(pages).hasSizeGreaterThanOrEqualTo(3).allSatisfy(page -> {
            assertThat(page.method() + " " + page.path()).isEqualTo("GET " + StripeStub.CUSTOMERS);
            assertThat(page.parameters()).containsEntry("limit", "100");
        });
        assertThat(pages.subList(1, pages.size())).allSatisfy(page -> assertThat(page.parameters()).containsKey("starting_after"));
    }

    private static Response postStripe(String body, String secret, long timestamp) {
        return given().contentType(ContentType.JSON).header("Stripe-Signature", StripeStub.signature(secret, timestamp, body))
                .body(body).when().post("/webhooks/stripe/customers");
    }

    @Test
    void stripesSignedEventsAreAppliedAndTamperedOrStaleOnesRefused() {
        String run = run();
        String id = "cus_" + run;
        Map<String, Object> object = new LinkedHashMap<>(Map.of("id", id, "object", "customer", "email", "Payer-" + run + "@Example.com",
                "name", "Payer " + run, "metadata", Map.of()));
        String event = StripeStub.event("customer.updated", object);
        long now = Instant.now().getEpochSecond();

        assertThat(postStripe(event, "whsec_not_the_endpoint_secret", now).statusCode()).isEqualTo(401);
        assertThat(given().contentType(ContentType.JSON).header("Stripe-Signature", StripeStub.signature(WEBHOOK_SECRET, now, event))
                .body(event.replace("Payer " + run, "Tampered " + run)).when().post("/webhooks/stripe/customers").statusCode())
                .isEqualTo(401);
        assertThat(postStripe(event, WEBHOOK_SECRET, now - 600).statusCode()).as("signed ten minutes ago").isEqualTo(401);
        assertThat(postStripe(event, WEBHOOK_SECRET, now).statusCode()).isEqualTo(202);

        Map<String, Object> row = awaitRows("SELECT email, last_name FROM demo_contact WHERE external_id = ?", id).get(0);
        assertThat(row).containsEntry("email", "payer-" + run + "@example.com").containsEntry("last_name", "Payer " + run);
        assertThat(query("SELECT count(*) AS n FROM demo_contact WHERE last_name = ?", "Tampered " + run).get(0).get("n"))
                .isEqualTo(0L);
        // Stripe sends an event again until it is answered 2xx: the same event id is not stored twice
        Response again = postStripe(event, WEBHOOK_SECRET, now);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.jsonPath().getInt("duplicates")).isEqualTo(1);
        assertThat(again.jsonPath().getString("events[0].status")).isEqualTo("duplicate");
    }

    /** A request signed as HubSpot signs its webhooks (v3), with the app's client secret. */
    private static Response postHubSpot(String body) {
        String url = "http://localhost:" + RestAssured.port + "/webhooks/hubspot/contacts";
        String timestamp = Long.toString(System.currentTimeMillis());
        String signature = HubSpotStub.signatureV3(HUBSPOT_SECRET, "POST", url, body, timestamp);
        return given().contentType(ContentType.JSON).header("X-HubSpot-Signature-v3", signature)
                .header("X-HubSpot-Request-Timestamp", timestamp).body(body).when().post("/webhooks/hubspot/contacts");
    }

    @Test
    void aHubSpotContactBecomesAStripeCustomer() {
        String run = run();
        String contact = hubspot.add(Map.of("email", "lead-" + run + "@example.com", "firstname", "Grace", "lastname", "Hopper"));
        long eventId = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
        String events = "[{\"eventId\":" + eventId + ",\"subscriptionId\":234567,\"portalId\":12345678,\"appId\":987654,"
                + "\"occurredAt\":" + System.currentTimeMillis() + ",\"subscriptionType\":\"contact.creation\","
                + "\"attemptNumber\":0,\"objectId\":" + contact + ",\"changeFlag\":\"CREATED\",\"changeSource\":\"CRM_UI\"}]";

        assertThat(postHubSpot(events).statusCode()).isEqualTo(202);

        String customer = stripeId("lead", "hubspot", contact);
        assertThat(stripe.customer(customer)).containsEntry("email", "lead-" + run + "@example.com")
                .containsEntry("name", "Grace Hopper").containsEntry("metadata", Map.of("hubspot_id", contact));
        assertThat(hubspot.received("GET", HubSpotStub.CONTACTS + "/" + contact)).hasSize(1);
        assertThat(stripe.find("email", "lead-" + run + "@example.com")).containsExactly(customer);
    }

    private static long subscription(String id, String customerId, String plan) {
        Integer inboxId = given().contentType(ContentType.JSON).body(Map.of("id", id, "customerId", customerId, "price", "price_gold",
                "plan", plan)).when().post("/webhooks/crm/subscriptions").then().statusCode(202).extract().path("inboxId");
        return inboxId.longValue();
    }

    @Test
    void aSubscriptionIsCreatedForItsCustomerAndItsCustomerNeverSentAgain() throws Exception {
        String run = run();
        String customer = stripe.add(Map.of("email", run + "@example.com"));
        LinkedRecords.link(StripeStubResource.DATABASE_URL, "customer", "crm", "c-" + run, "stripe", customer);

        assertThat(finalStatus(subscription("s-" + run, "c-" + run, "gold"))).isEqualTo("done");
        String id = stripeId("subscription", "crm", "s-" + run);
        // the CRM's customer id written as Stripe's cus_… id, with the subscription's price
        assertThat(stripe.subscription(id)).containsEntry("customer", customer).containsEntry("metadata",
                Map.of("crm_id", "s-" + run, "plan", "gold"));
        assertThat(stripe.received().stream().filter(request -> request.path().equals(StripeStub.SUBSCRIPTIONS)).map(
                StripeStub.Received::form)).anySatisfy(
                        form -> assertThat(form).containsEntry("customer", customer)
                                .containsEntry("items[0][price]", "price_gold"));

        // an update carries what Stripe takes on update: not the customer, not the items
        assertThat(finalStatus(subscription("s-" + run, "c-" + run, "platinum"))).isEqualTo("done");
        assertThat(stripe.received().stream().filter(request -> request.path().equals(StripeStub.SUBSCRIPTIONS + "/" + id)
                && request.method().equals("POST")).map(StripeStub.Received::form)).singleElement()
                .satisfies(form -> assertThat(form).doesNotContainKeys("customer", "items[0][price]")
                        .containsEntry("metadata[plan]", "platinum"));
        assertThat(stripe.subscription(id)).containsEntry("customer", customer);

        Map<String, Object> fetched = types.of("stripe").fetch("subscription", "stripe", id).orElseThrow();
        assertThat(registry.current().transformer().toCanonicalUnhashed("subscription", "stripe", fetched).fields())
                .containsEntry("customer", customer).containsEntry("plan", "platinum");
    }

    // --- invoices of a customer ------------------------------------------------------------------

    private static Response postInvoiceEvent(String type, Map<String, Object> invoice) {
        String event = StripeStub.event(type, invoice);
        return given().contentType(ContentType.JSON).header("Stripe-Signature", StripeStub.signature(WEBHOOK_SECRET,
                Instant.now().getEpochSecond(), event)).body(event).when().post("/webhooks/stripe/invoices");
    }

    /** The lines billing holds for the invoice, each as its Stripe line id, quantity and amount in cents. */
    @SuppressWarnings("unchecked")
    private static List<List<Object>> billingLines(String invoice) throws Exception {
        String json = awaitRows("SELECT lines::text AS lines FROM stripe_billing_invoice WHERE invoice_id = ?", invoice).get(0)
                .get("lines").toString();
        List<Map<String, Object>> lines = new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, List.class);
        return lines.stream().map(line -> List.<Object>of(line.get("stripe_line"), ((Number) line.get("qty")).intValue(),
                ((Number) line.get("amount_cents")).intValue())).toList();
    }

    private static List<List<Object>> stripeLines(List<Map<String, Object>> lines) {
        return lines.stream().map(line -> List.<Object>of(line.get("id"), line.get("quantity"), line.get("amount"))).toList();
    }

    @Test
    void anInvoiceEventReachesBillingWithBillingsCustomerAndAllItsLines() throws Exception {
        String run = run();
        String customer = stripe.add(Map.of("email", "inv-" + run + "@example.com"));
        LinkedRecords.link(StripeStubResource.DATABASE_URL, "payer", "stripe", customer, "billing", "B-" + run);
        // twelve lines: Stripe's event carries the first ten and says has_more
        Map<String, Object> invoice = stripe.addInvoice(customer, "Run " + run, 12);
        String id = (String) invoice.get("id");
        assertThat(((Map<?, ?>) invoice.get("lines")).get("has_more")).isEqualTo(true);

        postInvoiceEvent("invoice.finalized", invoice).then().statusCode(202);

        Map<String, Object> row = awaitRows("SELECT customer_id, number, status FROM stripe_billing_invoice WHERE invoice_id = ?", id)
                .get(0);
        // Stripe's cus_… translated to billing's own id of the customer through the ID map
        assertThat(row).containsEntry("customer_id", "B-" + run).containsEntry("number", invoice.get("number"))
                .containsEntry("status", "open");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> embedded = (List<Map<String, Object>>) ((Map<String, Object>) invoice.get("lines")).get("data");
        List<StripeStub.Received> pages = stripe.received("GET", StripeStub.INVOICES + "/" + id + "/lines");
        assertThat(pages).singleElement().satisfies(page -> assertThat(page.parameters())
                .containsEntry("starting_after", (String) embedded.get(9).get("id")).containsEntry("limit", "100"));
        assertThat(billingLines(id)).hasSize(12).containsExactlyElementsOf(stripeLines(stripe.invoiceLines(id)));
    }

    @Test
    void anInvoiceWhoseCustomerIsNotLinkedYetWaitsForItsCustomersEvent() throws Exception {
        String run = run();
        String customer = "cus_late" + run;
        Map<String, Object> invoice = stripe.addInvoice(customer, "Late " + run, 2);
        String id = (String) invoice.get("id");

        postInvoiceEvent("invoice.created", invoice).then().statusCode(202);

        assertThat((String) awaitRows("SELECT last_error FROM inbox WHERE status = 'pending' AND payload LIKE ?"
                + " AND last_error LIKE 'waiting for parent: %'", "%" + id + "%").get(0).get("last_error"))
                .contains("invoice.customer names payer " + customer + " of stripe");
        assertThat(query("SELECT count(*) AS n FROM stripe_billing_invoice WHERE invoice_id = ?", id).get(0).get("n")).isEqualTo(0L);

        Map<String, Object> payer = new LinkedHashMap<>(Map.of("id", customer, "object", "customer", "email", "late-" + run
                + "@example.com", "name", "Late " + run, "metadata", Map.of()));
        postStripe(StripeStub.event("customer.created", payer), WEBHOOK_SECRET, Instant.now().getEpochSecond()).then().statusCode(202);

        Map<String, Object> row = awaitRows("SELECT customer_id FROM stripe_billing_invoice WHERE invoice_id = ?", id).get(0);
        assertThat(row).containsEntry("customer_id", customer);
        assertThat(billingLines(id)).hasSize(2);
        assertThat(query("SELECT count(*) AS n FROM dead_letter WHERE payload LIKE ?", "%" + id + "%").get(0).get("n")).isEqualTo(0L);
    }

    @Test
    void aPullReadsInvoicesWithAllTheirLines() throws Exception {
        String run = run();
        String customer = stripe.add(Map.of("email", "pull-" + run + "@example.com"));
        String longest = (String) stripe.addInvoice(customer, "Pull " + run, 25).get("id");
        stripe.addInvoice(customer, "Pull " + run, 3);
        var model = registry.current().model();
        List<Map<String, Object>> pulled = new ArrayList<>();

        PullResult result = types.of("stripe").puller().pull(new PullRequest("invoice", "stripe", model.systems().get("stripe"),
                model.entities().get("invoice").mappings().get("stripe"), 100), pulled::addAll);

        assertThat(result.reachedEnd()).isTrue();
        Map<String, Object> invoice = pulled.stream().filter(each -> longest.equals(each.get("id"))).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> lines = (Map<String, Object>) invoice.get("lines");
        assertThat((List<?>) lines.get("data")).hasSize(25);
        assertThat(lines).containsEntry("has_more", false);
        // the 15 beyond the embedded ten in one page of the invoice's lines
        assertThat(stripe.received("GET", StripeStub.INVOICES + "/" + longest + "/lines")).hasSize(1);
        assertThat(registry.current().transformer().toCanonicalUnhashed("invoice", "stripe", invoice).fields())
                .containsEntry("customer", customer);
    }
}
