package io.syncline.examples;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncline.testsupport.ApiDescription;
import io.syncline.testsupport.Examples;
import io.syncline.testsupport.IntuitOAuthStub;
import io.syncline.testsupport.LinkedRecords;
import io.syncline.testsupport.PlaidStub;
import io.syncline.testsupport.QuickBooksStub;
import io.syncline.testsupport.RouteFolders;
import io.syncline.testsupport.StripeStub;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The financial example (examples/financial) as it is shipped, QuickBooks Online and Stripe being the
 * stubs of their presets: invoices made in QuickBooks, announced by its signed thin notifications,
 * become Stripe invoices of the customer linked in both; Stripe's signed {@code charge.succeeded}
 * events of those invoices become QuickBooks payments applied to them, which QuickBooks marks paid
 * (balance 0). A charge over 10,000 waits for approval and is applied once approved; the same amount
 * for the same customer within 24 hours of another charge is held as a repeat, one a day later is
 * not. Each system ends with what it should have, once, and every request sent to Stripe is checked
 * against Stripe's published description (Intuit publishes none for QuickBooks: its stub follows
 * the reference pages it names). The bank's feed, a stub of one Plaid Item, is reconciled against the
 * payments QuickBooks books with a reference number: it is only read, and every request to it is
 * checked against Plaid's published description. The bank's payments come second: the payments'
 * reconciliation counts every QuickBooks payment.
 */
@QuarkusTest
@WithTestResource(FinancialExampleTest.World.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FinancialExampleTest {

    static final String EXAMPLE = "financial";
    static final String DATABASE = Examples.databaseOf(EXAMPLE);
    static final String STRIPE_KEY = "rk_test_financialexample";
    static final String STRIPE_SECRET = "whsec_financialexample";
    static final String VERIFIER_TOKEN = "financial-example-verifier";
    static final ApiDescription STRIPE_CUSTOMERS = ApiDescription.kept("stripe-customers.json");
    static final ApiDescription STRIPE_INVOICES = ApiDescription.kept("stripe-invoices.json");
    static final ApiDescription STRIPE_CHARGES = ApiDescription.kept("stripe-charges.json");
    static final ApiDescription PLAID = ApiDescription.published("plaid/2020-09-14.yml");
    static final String PLAID_CLIENT_ID = "5f0c2b1e9d7a3c00financial";
    static final String PLAID_SECRET = "plaid-financial-example-secret";
    static final String PLAID_ACCESS_TOKEN = "access-production-0f1e2d3c-0000-4a5b-8c00-000000000000";

    /** The three stubs and Intuit's OAuth, the example's own PostgreSQL state store. */
    public static class World implements QuarkusTestResourceLifecycleManager {

        private StripeStub stripe;
        private IntuitOAuthStub intuit;
        private QuickBooksStub quickbooks;
        private PlaidStub plaid;
        private Path routes;

        @Override
        public Map<String, String> start() {
            stripe = StripeStub.start(STRIPE_KEY);
            plaid = PlaidStub.start(PLAID_CLIENT_ID, PLAID_SECRET, PLAID_ACCESS_TOKEN);
            try {
                intuit = new IntuitOAuthStub();
                quickbooks = new QuickBooksStub(intuit::isLive);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            routes = Examples.copy(EXAMPLE, Map.of("https://api.stripe.com", stripe.baseUrl(),
                    "https://quickbooks.api.intuit.com", quickbooks.baseUrl(), "https://appcenter.intuit.com", intuit.baseUrl(),
                    "https://oauth.platform.intuit.com", intuit.baseUrl(), "realmId: \"1234567890\"",
                    "realmId: \"" + IntuitOAuthStub.REALM_ID + "\"", "https://production.plaid.com", plaid.baseUrl()));
            Map<String, String> settings = new HashMap<>(Examples.store(EXAMPLE, routes));
            settings.putAll(Map.of("STRIPE_SECRET_KEY", STRIPE_KEY, "STRIPE_WEBHOOK_SECRET", STRIPE_SECRET,
                    "QBO_CLIENT_ID", IntuitOAuthStub.CLIENT_ID, "QBO_CLIENT_SECRET", IntuitOAuthStub.CLIENT_SECRET,
                    "QBO_REFRESH_TOKEN", intuit.issueRefreshToken(), "QBO_VERIFIER_TOKEN", VERIFIER_TOKEN,
                    "SYNCLINE_TOKEN_KEY", Base64.getEncoder().encodeToString(new byte[32])));
            settings.putAll(Map.of("PLAID_CLIENT_ID", PLAID_CLIENT_ID, "PLAID_SECRET", PLAID_SECRET, "PLAID_ACCESS_TOKEN",
                    PLAID_ACCESS_TOKEN));
            return settings;
        }

        @Override
        public void inject(TestInjector testInjector) {
            testInjector.injectIntoFields(stripe, new TestInjector.MatchesType(StripeStub.class));
            testInjector.injectIntoFields(quickbooks, new TestInjector.MatchesType(QuickBooksStub.class));
            testInjector.injectIntoFields(plaid, new TestInjector.MatchesType(PlaidStub.class));
        }

        @Override
        public void stop() {
            stripe.close();
            quickbooks.close();
            plaid.close();
            intuit.close();
            RouteFolders.delete(routes);
        }
    }

    StripeStub stripe;
    QuickBooksStub quickbooks;
    PlaidStub plaid;

    private static List<Map<String, Object>> query(String sql, Object... parameters) {
        return TestDatabase.queryOn(DATABASE, sql, parameters);
    }

    private static String systemId(String entity, String system, String otherSystem, String otherId) {
        return Examples.linkedId(EXAMPLE, entity, system, otherSystem, otherId);
    }

    private static void awaitSettled(long events) {
        Examples.awaitSettled(EXAMPLE, events);
    }

    /** QuickBooks' thin notification of one invoice, signed as Intuit signs: base64 HMAC-SHA256 of the body with the verifier token. */
    private static void notifyInvoice(String id, String operation) throws GeneralSecurityException {
        String body = "{\"eventNotifications\":[{\"realmId\":\"" + IntuitOAuthStub.REALM_ID + "\",\"dataChangeEvent\":{\"entities\":"
                + "[{\"name\":\"Invoice\",\"id\":\"" + id + "\",\"operation\":\"" + operation + "\",\"lastUpdated\":\""
                + Instant.now() + "\"}]}}]}";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(VERIFIER_TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        given().contentType(ContentType.JSON).header("intuit-signature", signature).body(body).when()
                .post("/webhooks/quickbooks/invoices").then().statusCode(200);
    }

    /** Stripe's signed {@code charge.succeeded} event of a charge of {@code cents} for an invoice, made at {@code created}. */
    private String charge(String customer, String invoice, long cents, Instant created) {
        String id = "ch_" + Long.toString(System.nanoTime(), 36);
        Map<String, Object> charge = new LinkedHashMap<>();
        charge.put("id", id);
        charge.put("object", "charge");
        charge.put("amount", cents);
        charge.put("amount_captured", cents);
        charge.put("currency", "usd");
        charge.put("customer", customer);
        charge.put("invoice", invoice);
        charge.put("created", created.getEpochSecond());
        charge.put("paid", true);
        charge.put("status", "succeeded");
        stripe.addCharge(charge);
        String event = StripeStub.event("charge.succeeded", charge);
        given().contentType(ContentType.JSON).header("Stripe-Signature", StripeStub.signature(STRIPE_SECRET,
                Instant.now().getEpochSecond(), event)).body(event).when().post("/webhooks/stripe/charges").then().statusCode(202);
        return id;
    }

    private static Map<String, Object> invoiceOf(String customer, String item, String amount) {
        return Map.of("CustomerRef", Map.of("value", customer), "Line", List.of(Map.of("DetailType", "SalesItemLineDetail",
                "Amount", new BigDecimal(amount), "Description", "Consulting", "SalesItemLineDetail",
                Map.of("ItemRef", Map.of("value", item), "Qty", 1, "UnitPrice", new BigDecimal(amount)))));
    }

    @Test
    @Order(1)
    void aChargeOfAnInvoiceMarksItPaidInQuickBooksAndLargeOrRepeatedChargesWaitForApproval() throws Exception {
        // the customer both systems have, linked once; three invoices made in QuickBooks and announced
        String customer = quickbooks.add(Map.of("DisplayName", "Acme Corp", "PrimaryEmailAddr", Map.of("Address", "ap@acme.example")));
        String cus = stripe.add(Map.of("email", "ap@acme.example", "name", "Acme Corp"));
        LinkedRecords.link(DATABASE, "customer", "quickbooks", customer, "stripe", cus);
        String item = quickbooks.addItem("Consulting");
        String small = quickbooks.addInvoice(invoiceOf(customer, item, "1250.00"));
        String large = quickbooks.addInvoice(invoiceOf(customer, item, "12500.00"));
        String later = quickbooks.addInvoice(invoiceOf(customer, item, "1250.00"));
        notifyInvoice(small, "Create");
        notifyInvoice(large, "Create");
        notifyInvoice(later, "Create");
        awaitSettled(3);
        String smallInStripe = systemId("invoice", "stripe", "quickbooks", small);
        String largeInStripe = systemId("invoice", "stripe", "quickbooks", large);
        String laterInStripe = systemId("invoice", "stripe", "quickbooks", later);
        assertThat(stripe.invoice(smallInStripe)).containsEntry("customer", cus).containsEntry("status", "draft")
                .containsEntry("metadata", Map.of("quickbooks_id", small, "quickbooks_number", quickbooks.invoice(small).get("DocNumber"),
                        "quickbooks_total", "1250.00", "quickbooks_balance", "1250.00"));

        // a charge of the first invoice: a QuickBooks payment applied to it, which QuickBooks marks paid
        Instant first = Instant.now().minus(Duration.ofHours(30));
        String paid = charge(cus, smallInStripe, 125_000, first);
        awaitSettled(4);
        String payment = systemId("payment", "quickbooks", "stripe", paid);
        assertThat(quickbooks.payment(payment)).containsEntry("CustomerRef", Map.of("value", customer))
                .containsEntry("PrivateNote", paid).satisfies(written -> {
                    assertThat(new BigDecimal(written.get("TotalAmt").toString())).isEqualByComparingTo("1250.00");
                    Map<?, ?> line = (Map<?, ?>) ((List<?>) written.get("Line")).get(0);
                    assertThat((List<?>) written.get("Line")).hasSize(1);
                    assertThat(new BigDecimal(line.get("Amount").toString())).isEqualByComparingTo("1250.00");
                    assertThat(line.get("LinkedTxn")).isEqualTo(List.of(Map.of("TxnId", small, "TxnType", "Invoice")));
                });
        assertThat(new BigDecimal(quickbooks.invoice(small).get("Balance").toString())).isEqualByComparingTo("0");

        // QuickBooks announces the paid invoice: its Stripe invoice says so
        notifyInvoice(small, "Update");
        awaitSettled(5);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stripe.invoice(smallInStripe).get("metadata"))
                .isEqualTo(Map.of("quickbooks_id", small, "quickbooks_number", quickbooks.invoice(small).get("DocNumber"),
                        "quickbooks_total", "1250.00", "quickbooks_balance", "0.00")));

        // the same amount for the same customer three hours after: held as a repeat, nothing written
        String repeated = charge(cus, smallInStripe, 125_000, first.plus(Duration.ofHours(3)));
        // over 10,000: held until a person approves it
        String big = charge(cus, largeInStripe, 1_250_000, first.plus(Duration.ofHours(4)));
        // the same amount a day and more after the first: not a repeat
        String nextDay = charge(cus, laterInStripe, 125_000, first.plus(Duration.ofHours(27)));
        awaitSettled(8);
        assertThat(query("SELECT source_id, kind, reason FROM review_item WHERE status = 'open' ORDER BY source_id"))
                .extracting(row -> row.get("source_id") + " " + row.get("kind") + " " + String.valueOf(row.get("reason")).contains(
                        row.get("source_id").equals(big) ? "largeCharge" : "repeatedCharge"))
                .containsExactlyInAnyOrder(repeated + " held_by_rule true", big + " held_by_rule true");
        assertThat(quickbooks.payments()).hasSize(2);
        assertThat(new BigDecimal(quickbooks.invoice(later).get("Balance").toString())).isEqualByComparingTo("0");
        assertThat(new BigDecimal(quickbooks.invoice(large).get("Balance").toString())).isEqualByComparingTo("12500.00");

        // approved: the large charge is applied, and its invoice is paid
        Object held = query("SELECT id FROM review_item WHERE status = 'open' AND source_id = ?", big).get(0).get("id");
        given().auth().preemptive().basic("admin", "test-only-password").contentType(ContentType.JSON)
                .body(Map.of("approve", true)).when().post("/admin/review-items/" + held + "/resolve").then().statusCode(200);
        String bigPayment = systemId("payment", "quickbooks", "stripe", big);
        assertThat(new BigDecimal(quickbooks.payment(bigPayment).get("TotalAmt").toString())).isEqualByComparingTo("12500.00");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(new BigDecimal(quickbooks.invoice(large)
                .get("Balance").toString())).isEqualByComparingTo("0"));

        // nothing lost, nothing doubled: three payments for three invoices, the repeat still waiting
        assertThat(quickbooks.payments()).hasSize(3);
        assertThat(quickbooks.invoices()).hasSize(3);
        assertThat(stripe.invoiceCount()).isEqualTo(3);
        assertThat(stripe.received("POST", StripeStub.INVOICES)).hasSize(3);
        assertThat(query("SELECT entity, system, count(*) AS n FROM id_map GROUP BY entity, system ORDER BY entity, system"))
                .extracting(row -> row.get("entity") + " " + row.get("system") + " " + row.get("n"))
                .containsExactly("customer quickbooks 1", "customer stripe 1", "invoice quickbooks 3", "invoice stripe 3",
                        "payment quickbooks 3", "payment stripe 4");
        assertThat(query("SELECT status, count(*) AS n FROM inbox GROUP BY status ORDER BY status"))
                .extracting(row -> row.get("status") + " " + row.get("n")).containsExactly("done 7", "held 1");

        // the nightly reconciliation: a payment a cent off in QuickBooks is equal, one ten off is reported,
        // and the held repeat is a charge QuickBooks has no payment of
        quickbooks.changePaymentInQuickBooks(systemId("payment", "quickbooks", "stripe", nextDay), "TotalAmt", new BigDecimal("1249.99"));
        quickbooks.changePaymentInQuickBooks(payment, "TotalAmt", new BigDecimal("1240.00"));
        int run = given().auth().preemptive().basic("admin", "test-only-password").when()
                .post("/admin/reconciliations/payments-nightly/runs").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("ok")).body("sideA.records", org.hamcrest.Matchers.equalTo(4))
                .body("sideB.records", org.hamcrest.Matchers.equalTo(3)).body("counts.onlyInA", org.hamcrest.Matchers.equalTo(1))
                .body("counts.onlyInB", org.hamcrest.Matchers.equalTo(0)).body("counts.mismatched", org.hamcrest.Matchers.equalTo(1))
                .body("counts.equal", org.hamcrest.Matchers.equalTo(2)).extract().path("id");
        List<Map<String, Object>> differences = given().auth().preemptive().basic("admin", "test-only-password").when()
                .get("/admin/reconciliations/differences?run=" + run).then().statusCode(200).extract().path("");
        assertThat(differences).extracting(difference -> difference.get("bucket") + " " + difference.get("fields"))
                .containsExactlyInAnyOrder("only_in_a null", "mismatched [{\"field\":\"amount\",\"a\":\"1250\",\"b\":\"1240\"}]");

        given().auth().preemptive().basic("admin", "test-only-password").when().post("/admin/reconciliations/customers-nightly/runs")
                .then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("ok"))
                .body("counts.equal", org.hamcrest.Matchers.equalTo(1)).body("counts.mismatched", org.hamcrest.Matchers.equalTo(0));

        List<String> violations = new ArrayList<>();
        for (StripeStub.Received request : stripe.received()) {
            ApiDescription description = request.path().startsWith(StripeStub.INVOICES) ? STRIPE_INVOICES
                    : request.path().startsWith(StripeStub.CHARGES) ? STRIPE_CHARGES : STRIPE_CUSTOMERS;
            violations.addAll(description.violations(request.method(), request.path(), request.query(), request.headers(),
                    request.body()));
        }
        assertThat(violations).isEmpty();
        assertThat(stripe.received()).isNotEmpty()
                .allSatisfy(request -> assertThat(request.header("Authorization")).isEqualTo("Bearer " + STRIPE_KEY));
    }

    @Test
    @Order(2)
    void theBanksDepositsAreReconciledAgainstQuickBooksPaymentsByReferenceAndPlaidIsOnlyRead() {
        // payments customers made by bank transfer or check, booked in QuickBooks with their reference numbers
        String customer = quickbooks.add(Map.of("DisplayName", "Globex", "PrimaryEmailAddr", Map.of("Address", "ap@globex.example")));
        quickbooks.addPayment(Map.of("CustomerRef", Map.of("value", customer), "TotalAmt", new BigDecimal("800.00"),
                "PaymentRefNum", "WIRE-1001", "TxnDate", "2026-11-02"));
        quickbooks.addPayment(Map.of("CustomerRef", Map.of("value", customer), "TotalAmt", new BigDecimal("2400.00"),
                "PaymentRefNum", "WIRE-1002", "TxnDate", "2026-11-03"));
        quickbooks.addPayment(Map.of("CustomerRef", Map.of("value", customer), "TotalAmt", new BigDecimal("150.00"),
                "PaymentRefNum", "CHK-5531", "TxnDate", "2026-11-04"));
        int paymentsBefore = quickbooks.payments().size();
        int paymentWritesBefore = quickbooks.received("POST", QuickBooksStub.PAYMENT).size();
        // what the bank saw: money in is negative in Plaid; a cent off, ten off, none for the check; Stripe's
        // payout and a card purchase carry no reference and are no deposit to pair
        plaid.add("WIRE FROM GLOBEX", "-800.01", "2026-11-03", "WIRE-1001");
        plaid.add("WIRE FROM GLOBEX", "-2390.00", "2026-11-04", "WIRE-1002");
        String payout = plaid.add("STRIPE TRANSFER", "-3698.50", "2026-11-04");
        String coffee = plaid.add("Blue Bottle Coffee", "4.33", "2026-11-05");

        int run = given().auth().preemptive().basic("admin", "test-only-password").when()
                .post("/admin/reconciliations/bank-nightly/runs").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("ok")).body("counts.equal", org.hamcrest.Matchers.equalTo(1))
                .body("counts.mismatched", org.hamcrest.Matchers.equalTo(1)).body("counts.onlyInA", org.hamcrest.Matchers.equalTo(0))
                .body("counts.onlyInB", org.hamcrest.Matchers.equalTo(1)).body("counts.expected", org.hamcrest.Matchers.equalTo(5))
                .extract().path("id");
        List<Map<String, Object>> differences = given().auth().preemptive().basic("admin", "test-only-password").when()
                .get("/admin/reconciliations/differences?run=" + run).then().statusCode(200).extract().path("");
        assertThat(differences).filteredOn(difference -> difference.get("expectedBecause") == null)
                .extracting(difference -> difference.get("bucket") + " " + difference.get("key") + " " + difference.get("fields"))
                .containsExactlyInAnyOrder("only_in_b CHK-5531 null",
                        "mismatched WIRE-1002 [{\"field\":\"amount\",\"a\":\"2390\",\"b\":\"2400\"}]");
        // what has no reference pairs with nothing and is declared expected: the bank's payout and purchase, and
        // the card payments QuickBooks has from Stripe
        List<String> cardPayments = new ArrayList<>(quickbooks.payments().entrySet().stream()
                .filter(each -> each.getValue().get("PaymentRefNum") == null).map(Map.Entry::getKey).toList());
        assertThat(cardPayments).hasSize(3);
        assertThat(differences).filteredOn(difference -> difference.get("expectedBecause") != null)
                .extracting(difference -> difference.get("bucket") + " " + difference.get("key"))
                .containsExactlyInAnyOrderElementsOf(List.of("only_in_a " + payout, "only_in_a " + coffee,
                        "only_in_b " + cardPayments.get(0), "only_in_b " + cardPayments.get(1), "only_in_b " + cardPayments.get(2)));

        // Plaid only read: its sync, from the start, each request as Plaid's description has it, with the
        // credentials in its body; and QuickBooks written nothing for the bank
        assertThat(plaid.received()).isNotEmpty().allSatisfy(request -> {
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo(PlaidStub.SYNC);
            assertThat(request.header("Plaid-Version")).isEqualTo("2020-09-14");
            assertThat(request.json()).containsEntry("client_id", PLAID_CLIENT_ID).containsEntry("secret", PLAID_SECRET)
                    .containsEntry("access_token", PLAID_ACCESS_TOKEN);
        });
        assertThat(PLAID.violations(plaid.received())).as(PLAID.used()).isEmpty();
        // and the payments' reconciliation takes the payments by bank transfer or check for no charge's
        given().auth().preemptive().basic("admin", "test-only-password").when().post("/admin/reconciliations/payments-nightly/runs")
                .then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("ok"))
                .body("counts.onlyInB", org.hamcrest.Matchers.equalTo(0)).body("counts.expected", org.hamcrest.Matchers.equalTo(3));
        assertThat(quickbooks.payments()).hasSize(paymentsBefore);
        assertThat(quickbooks.received("POST", QuickBooksStub.PAYMENT)).hasSize(paymentWritesBefore);
    }
}
