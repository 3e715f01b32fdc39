package io.syncline.packaging;

import io.syncline.testsupport.HubSpotDescriptions;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.IntuitOAuthStub;
import io.syncline.testsupport.PackagedApplication;
import io.syncline.testsupport.QuickBooksStub;
import io.syncline.testsupport.RelatedGraph;
import io.syncline.testsupport.RouteFolders;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.TestSeed;
import io.syncline.testsupport.WebhookSender;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Related records through two crashes (issue 55, must show 1; src/test/resources/related-crash-routes):
 * HubSpot companies, contacts (each with its primary company) and deals (each with its contact and
 * company), and Stripe customers and subscriptions (each naming its customer, its items the lines),
 * 2,000 records, reach the packaged application as the providers' signed webhooks, shuffled so that
 * most children come before their parents, with redeliveries and second events. The application
 * fetches each HubSpot record (and its associations) from the HubSpot stub and writes the records
 * into an ERP database whose tables have real foreign keys (a subscription's lines rows of
 * {@code order_lines}, each naming its order) and into the QuickBooks stub (subscriptions and deals as
 * invoices, a deal's amount its one line); it is
 * killed with SIGKILL twice while it applies them, and started again each time.
 *
 * <p>Afterwards every record is in every target it maps to, once; every reference names the right
 * record in that system (an ERP foreign key the ERP's own code of the right parent, an invoice's
 * CustomerRef QuickBooks' customer of the right payer or deal's company, found by its name, not through the
 * ID map);
 * nothing is dead, held or still waiting for a parent. {@code -Dsyncline.test.seed=<seed>} replays
 * the records, their order and the kill points.
 */
class RelatedRecordsCrashIT {

    private static final int COMPANIES = 200;
    private static final int CONTACTS = 900;
    private static final int DEALS = 300;
    private static final int PAYERS = 250;
    private static final int SUBSCRIPTIONS = 350;
    private static final int KILLS = 2;
    private static final int LANES = 12;
    private static final String TOKEN = "pat-na1-related-0000-test-token";
    private static final String STRIPE_KEY = "rk_test_51SynclineRelatedKey0000";

    @Test
    void relatedRecordsDeliveredChildrenFirstAndKilledTwiceEndWithEveryReferenceRight() throws Exception {
        TestSeed seed = TestSeed.of("RelatedRecordsCrashIT");
        Random random = seed.random();
        String context = seed.context();
        String store = TestDatabase.siblingUrl("_related_crash");
        String erp = TestDatabase.siblingUrl("_related_crash_erp");
        TestDatabase.ensureDatabase(store, true);
        TestDatabase.ensureDatabase(erp, true);
        createErpTables(erp);
        long started = System.nanoTime();

        try (HubSpotStub hubspot = HubSpotStub.start().acceptBearer(TOKEN); IntuitOAuthStub intuit = new IntuitOAuthStub();
                QuickBooksStub quickbooks = new QuickBooksStub(intuit::isLive)) {
            String item = quickbooks.addItem("Subscription");
            String dealItem = quickbooks.addItem("Deal");
            RelatedGraph graph = RelatedGraph.generate(random, hubspot, COMPANIES, CONTACTS, DEALS, PAYERS, SUBSCRIPTIONS);
            assertThat(graph.records()).isEqualTo(2_000);
            List<WebhookSender.Event> deliveries = graph.deliveries();
            // on purpose: most children are announced before their parents
            assertThat(graph.childrenBeforeParents()).as(context).isGreaterThan(graph.records() / 4);
            Path routes = RouteFolders.copyWithAddresses(Path.of("src/test/resources/related-crash-routes"), Map.of(
                    "http://hubspot.stub.invalid", hubspot.baseUrl(), "http://quickbooks.stub.invalid", quickbooks.baseUrl(),
                    "http://intuit.stub.invalid", intuit.baseUrl(), "quickbooks-subscription-item", item,
                    "quickbooks-deal-item", dealItem));
            PackagedApplication app = PackagedApplication.start("related-records-crash-it-0",
                    environment(store, erp, routes, intuit.issueRefreshToken()), List.of("-Xmx256m"));
            List<Integer> exitCodes = new ArrayList<>();
            try (WebhookSender sender = new WebhookSender(app.url("/"))) {
                app.awaitReadyOrClose(context);
                CompletableFuture<Void> stream = sender.stream(deliveries, LANES, Duration.ofMillis(0), Duration.ofMillis(10), random);
                for (int threshold : killPoints(random, deliveries.size())) {
                    // kill once this many deliveries were acknowledged and the workers are applying some, and
                    // QuickBooks' grant is stored: Intuit spends a refresh token as it answers with the next one,
                    // so a process killed between that answer and its commit leaves the store a spent token
                    // and QuickBooks needs consent again; an operator connects it before traffic comes
                    AtomicLong applied = new AtomicLong(count(store, "SELECT count(*) AS n FROM processed_key"));
                    await(context + ": " + threshold + " deliveries acknowledged while applying").atMost(Duration.ofSeconds(180))
                            .pollInterval(Duration.ofMillis(15)).until(() -> {
                                long now = count(store, "SELECT count(*) AS n FROM processed_key");
                                return applied.getAndSet(now) != now && sender.acknowledged().size() >= threshold
                                        && count(store, "SELECT count(*) AS n FROM oauth_grant WHERE refreshed_count > 0") == 1;
                            });
                    exitCodes.add(app.kill());
                    app = app.restart("related-records-crash-it-" + exitCodes.size());
                }
                stream.get(180, TimeUnit.SECONDS);
                // a child waits for its parent in pauses of half its wait so far, a minute at most
                await(context + ": every event applied").atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500))
                        .until(() -> count(store, "SELECT count(*) AS n FROM inbox WHERE status <> 'done'") == 0);

                assertThat(exitCodes).as("%s: exit codes of the killed application (137 = SIGKILL)", context)
                        .containsExactly(137, 137);
                assertThat(sender.acknowledged()).as(context).hasSize(deliveries.size());
                // a redelivery (the same event id) is stored once; a second event about a record is an event of its own
                assertThat(count(store, "SELECT count(*) AS n FROM inbox")).as("%s: events in the inbox", context)
                        .isEqualTo(graph.events());
                assertNothingDeadHeldOrWaiting(store, context);
                assertErp(erp, graph, context);
                assertQuickBooks(quickbooks, graph, item, dealItem, context);
                // every fetch of a company, contact or deal (with its associations) as HubSpot's descriptions allow
                assertThat(HubSpotDescriptions.violations(hubspot.received())).as("%s: checked against %s", context,
                        HubSpotDescriptions.used()).isEmpty();
                System.out.printf("%s: %d records (%d announced before a parent) in %d deliveries of %d events, %d kills,"
                        + " %d POSTs unanswered; %d s%n", context, graph.records(), graph.childrenBeforeParents(),
                        deliveries.size(), graph.events(), KILLS, sender.unanswered(),
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
            } finally {
                app.close();
                RouteFolders.delete(routes);
            }
        }
    }

    /** Acknowledged-delivery counts at which to kill: one in each half of the stream's middle. */
    private static List<Integer> killPoints(Random random, int deliveries) {
        int first = deliveries / 10 + random.nextInt(deliveries * 3 / 10);
        int second = deliveries / 2 + random.nextInt(deliveries * 3 / 10);
        return List.of(first, second);
    }

    private static Map<String, String> environment(String store, String erp, Path routes, String refreshToken) {
        Map<String, String> environment = new HashMap<>();
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", store);
        environment.put("QUARKUS_DATASOURCE_USERNAME", TestDatabase.user());
        environment.put("QUARKUS_DATASOURCE_PASSWORD", TestDatabase.password());
        environment.put("SYNCLINE_ADMIN_PASSWORD", "related-crash-it-password");
        environment.put("SYNCLINE_ROUTES_LOCATION", routes.toString());
        // a killed worker's events are claimed again once their lease runs out
        environment.put("SYNCLINE_INBOX_LEASE", "3s");
        environment.put("SYNCLINE_INBOX_RETRY_DELAY", "200ms");
        environment.put("SYNCLINE_INBOX_MAX_RETRY_DELAY", "1s");
        environment.put("ERP_DB_URL", TestDatabase.password().isEmpty() ? erp
                : erp + (erp.contains("?") ? "&" : "?") + "password=" + TestDatabase.password());
        environment.put("ERP_DB_USER", TestDatabase.user());
        environment.put("QBO_VERIFIER_TOKEN", "qbo-webhook-verifier-token-related");
        environment.put("HUBSPOT_TOKEN", TOKEN);
        environment.put("HUBSPOT_CLIENT_SECRET", RelatedGraph.HUBSPOT_SECRET);
        environment.put("STRIPE_SECRET_KEY", STRIPE_KEY);
        environment.put("STRIPE_WEBHOOK_SECRET", RelatedGraph.STRIPE_SECRET);
        environment.put("QBO_CLIENT_ID", IntuitOAuthStub.CLIENT_ID);
        environment.put("QBO_CLIENT_SECRET", IntuitOAuthStub.CLIENT_SECRET);
        environment.put("QBO_REFRESH_TOKEN", refreshToken);
        environment.put("SYNCLINE_TOKEN_KEY", Base64.getEncoder().encodeToString(new byte[32]));
        return environment;
    }

    /** The ERP's tables, each child's reference a real foreign key to its parent's key. */
    private static void createErpTables(String erp) throws Exception {
        try (Connection connection = TestDatabase.connect(erp); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE account (code VARCHAR(40) PRIMARY KEY, name VARCHAR(200), domain VARCHAR(200),"
                    + " email VARCHAR(200))");
            statement.execute("CREATE TABLE contact (id VARCHAR(40) PRIMARY KEY, email VARCHAR(200), first_name VARCHAR(100),"
                    + " last_name VARCHAR(100), account_code VARCHAR(40) REFERENCES account (code))");
            statement.execute("CREATE TABLE orders (id VARCHAR(40) PRIMARY KEY, title VARCHAR(200), amount NUMERIC(12, 2),"
                    + " account_code VARCHAR(40) NOT NULL REFERENCES account (code), contact_id VARCHAR(40) REFERENCES contact (id))");
            statement.execute("CREATE TABLE order_lines (order_id VARCHAR(40) NOT NULL REFERENCES orders (id), line_no INTEGER NOT NULL,"
                    + " price_id VARCHAR(40) NOT NULL, description VARCHAR(200), quantity INTEGER, amount INTEGER,"
                    + " PRIMARY KEY (order_id, line_no))");
        }
    }

    private static void assertNothingDeadHeldOrWaiting(String store, String context) {
        assertThat(TestDatabase.queryOn(store, "SELECT route_id, reason FROM dead_letter")).as("%s: dead letters", context)
                .isEmpty();
        assertThat(TestDatabase.queryOn(store, "SELECT * FROM review_item")).as("%s: review items", context).isEmpty();
        assertThat(TestDatabase.queryOn(store, "SELECT entity, record_key, status, last_error FROM inbox WHERE status <> 'done'"))
                .as("%s: events not done (waiting for a parent, held or dead)", context).isEmpty();
    }

    /** Every record once in the ERP, each foreign key the ERP's own key of the right parent. */
    private static void assertErp(String erp, RelatedGraph graph, String context) {
        Map<String, String> companies = graph.companies.stream()
                .collect(Collectors.toMap(RelatedGraph.Company::id, RelatedGraph.Company::name));
        Map<String, String> payers = graph.payers.stream()
                .collect(Collectors.toMap(payer -> payer.id().toUpperCase(java.util.Locale.ROOT), RelatedGraph.Payer::name));
        Map<String, String> accounts = new HashMap<>(companies);
        accounts.putAll(payers);
        assertThat(pairs(erp, "SELECT code AS k, name AS v FROM account")).as("%s: ERP accounts", context).isEqualTo(accounts);
        assertThat(pairs(erp, "SELECT id AS k, account_code AS v FROM contact")).as("%s: ERP contacts' accounts", context)
                .isEqualTo(graph.contacts.stream().collect(Collectors.toMap(RelatedGraph.Contact::id, RelatedGraph.Contact::company)));
        Map<String, String> orders = new HashMap<>();
        graph.deals.forEach(deal -> orders.put(deal.id(), deal.company() + " " + deal.contact() + " " + deal.amount()));
        graph.subscriptions.forEach(subscription -> orders.put(subscription.id(),
                subscription.customer().toUpperCase(java.util.Locale.ROOT) + " null null"));
        assertThat(pairs(erp, "SELECT id AS k, account_code || ' ' || coalesce(contact_id, 'null') || ' '"
                + " || coalesce(amount::text, 'null') AS v FROM orders")).as("%s: ERP orders' account, contact and amount", context)
                .isEqualTo(orders);
        Map<String, String> lines = new HashMap<>();
        for (RelatedGraph.Subscription subscription : graph.subscriptions) {
            for (int i = 0; i < subscription.lines().size(); i++) {
                RelatedGraph.Line line = subscription.lines().get(i);
                lines.put(subscription.id() + " " + (i + 1), line.price() + " " + line.description() + " 1 " + line.amount());
            }
        }
        assertThat(pairs(erp, "SELECT order_id || ' ' || line_no AS k, price_id || ' ' || description || ' ' || quantity"
                + " || ' ' || amount AS v FROM order_lines")).as("%s: ERP order lines, each naming its order", context)
                .isEqualTo(lines);
    }

    /**
     * Every company and payer once as a QuickBooks customer; every subscription once as an invoice
     * whose CustomerRef is the QuickBooks customer of its payer (found by the payer's name) and whose
     * lines are its items, each naming the subscription item of the company; every deal once as an
     * invoice whose CustomerRef is the QuickBooks customer of its company (found by the company's
     * name) and whose one line is the deal's amount, naming the deal item.
     */
    private static void assertQuickBooks(QuickBooksStub quickbooks, RelatedGraph graph, String item, String dealItem,
            String context) {
        Map<String, Map<String, Object>> customers = quickbooks.customers();
        List<String> names = customers.values().stream().map(customer -> (String) customer.get("DisplayName")).sorted().toList();
        List<String> expectedNames = new ArrayList<>();
        graph.companies.forEach(company -> expectedNames.add(company.name()));
        graph.payers.forEach(payer -> expectedNames.add(payer.name()));
        assertThat(names).as("%s: QuickBooks customers", context).isEqualTo(expectedNames.stream().sorted().toList());

        Map<String, RelatedGraph.Subscription> subscriptions = graph.subscriptions.stream()
                .collect(Collectors.toMap(RelatedGraph.Subscription::id, Function.identity()));
        Map<String, String> payerNames = graph.payers.stream()
                .collect(Collectors.toMap(RelatedGraph.Payer::id, RelatedGraph.Payer::name));
        Map<String, RelatedGraph.Deal> deals = graph.deals.stream()
                .collect(Collectors.toMap(RelatedGraph.Deal::id, Function.identity()));
        Map<String, String> companyNames = graph.companies.stream()
                .collect(Collectors.toMap(RelatedGraph.Company::id, RelatedGraph.Company::name));
        Map<String, Map<String, Object>> invoices = quickbooks.invoices();
        List<String> documents = new ArrayList<>(subscriptions.keySet());
        documents.addAll(deals.keySet());
        assertThat(invoices.values().stream().map(invoice -> (String) invoice.get("DocNumber")).sorted().toList())
                .as("%s: QuickBooks invoices, one a subscription or a deal", context)
                .isEqualTo(documents.stream().sorted().toList());
        for (Map<String, Object> invoice : invoices.values()) {
            String customerId = (String) ((Map<?, ?>) invoice.get("CustomerRef")).get("value");
            RelatedGraph.Subscription subscription = subscriptions.get((String) invoice.get("DocNumber"));
            RelatedGraph.Deal deal = deals.get((String) invoice.get("DocNumber"));
            assertThat(customers.get(customerId)).as("%s: the customer of invoice %s", context, invoice.get("Id")).isNotNull()
                    .extracting(customer -> customer.get("DisplayName")).isEqualTo(subscription != null
                            ? payerNames.get(subscription.customer()) : companyNames.get(deal.company()));
            List<String> expected = subscription != null
                    ? subscription.lines().stream().map(line -> line.description() + " " + line.amount() + " " + item).toList()
                    : List.of(deal.name() + " " + new BigDecimal(deal.amount()).stripTrailingZeros().toPlainString() + " " + dealItem);
            assertThat(lines(invoice)).as("%s: the lines of invoice %s", context, invoice.get("Id")).isEqualTo(expected);
        }
    }

    /** An invoice's item lines (not its subtotal) as description, amount and item. */
    private static List<String> lines(Map<String, Object> invoice) {
        return ((List<?>) invoice.get("Line")).stream().map(line -> (Map<?, ?>) line)
                .filter(line -> "SalesItemLineDetail".equals(line.get("DetailType")))
                .map(line -> line.get("Description") + " " + new BigDecimal(line.get("Amount").toString()).stripTrailingZeros()
                        .toPlainString() + " " + ((Map<?, ?>) ((Map<?, ?>) line.get("SalesItemLineDetail")).get("ItemRef")).get("value"))
                .toList();
    }

    private static Map<String, String> pairs(String url, String sql) {
        Map<String, String> pairs = new HashMap<>();
        for (Map<String, Object> row : TestDatabase.queryOn(url, sql)) {
            assertThat(pairs.put(String.valueOf(row.get("k")), String.valueOf(row.get("v")))).as("row %s once", row).isNull();
        }
        return pairs;
    }

    private static long count(String url, String sql) {
        return ((Number) TestDatabase.queryOn(url, sql).get(0).get("n")).longValue();
    }
}
