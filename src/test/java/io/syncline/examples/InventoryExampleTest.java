package io.syncline.examples;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncline.testsupport.AmazonSpStub;
import io.syncline.testsupport.ApiDescription;
import io.syncline.testsupport.EbayStub;
import io.syncline.testsupport.Examples;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.InParallel;
import io.syncline.testsupport.RouteFolders;
import io.syncline.testsupport.ShopifyStub;
import io.syncline.testsupport.SlackStub;
import io.syncline.testsupport.SupportDeskStubResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The inventory example (examples/inventory) as it is shipped, Shopify, Amazon's Selling Partner API and eBay's
 * Sell APIs being the stubs of their presets and the warehouse's stock_levels table the real PostgreSQL (Syncline's
 * own database, as the example has it): 1,000 orders taken at once across the three channels, each channel selling
 * before it tells (Shopify's signed orders/create webhooks, Amazon's orders and eBay's polled), leave the warehouse
 * and every channel at the same, correct stock, each order taken off the warehouse once; an order the warehouse
 * cannot cover waits in review and no system goes below 0; a recount that more than halves a stock is held before
 * any channel shows it (rule stockDrop) and a stock falling under its reorder point is told to Slack (rule lowStock).
 * Every request to Amazon and eBay is checked against their published descriptions; Shopify publishes none of its
 * REST Admin API, and its stub follows the reference pages (ShopifyStub).
 */
@QuarkusTest
@WithTestResource(InventoryExampleTest.World.class)
class InventoryExampleTest {

    static final String EXAMPLE = "inventory";
    static final String DATABASE = Examples.databaseOf(EXAMPLE);
    static final long LOCATION = 655_441_491L;
    static final List<String> CHANNELS = List.of("shopify", "amazon", "ebay");
    static final ApiDescription AMAZON_ORDERS = ApiDescription.published("amazon-sp/ordersV0.json");
    static final ApiDescription AMAZON_LISTINGS = ApiDescription.published("amazon-sp/listingsItems_2021-08-01.json");
    static final ApiDescription EBAY_INVENTORY = ApiDescription.published("ebay/sell_inventory_v1_oas3.json");
    static final ApiDescription EBAY_FULFILLMENT = ApiDescription.published("ebay/sell_fulfillment_v1_oas3.json");

    /**
     * The three channels' stubs and Slack's; the warehouse's table (the example's warehouse-schema.sql) in the
     * example's own state store. The channels' rate limits are the stubs', not the providers': the example states
     * the providers' paces, at which 1,000 orders' pushes would take minutes.
     */
    public static class World implements QuarkusTestResourceLifecycleManager {

        private ShopifyStub shopify;
        private AmazonSpStub amazon;
        private EbayStub ebay;
        private SlackStub slack;
        private Path routes;

        @Override
        public Map<String, String> start() {
            shopify = ShopifyStub.start(SupportDeskStubResource.SHOPIFY_TOKEN);
            amazon = AmazonSpStub.start(SupportDeskStubResource.AMAZON_CLIENT_ID, SupportDeskStubResource.AMAZON_CLIENT_SECRET,
                    SupportDeskStubResource.AMAZON_REFRESH_TOKEN, SupportDeskStubResource.AMAZON_SELLER,
                    SupportDeskStubResource.AMAZON_MARKETPLACE);
            ebay = EbayStub.start(SupportDeskStubResource.EBAY_CLIENT_ID, SupportDeskStubResource.EBAY_CLIENT_SECRET,
                    SupportDeskStubResource.EBAY_REFRESH_TOKEN);
            try {
                slack = new SlackStub();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> over = new HashMap<>();
            over.put("https://your-shop.myshopify.com", shopify.baseUrl());
            over.put("https://sellingpartnerapi-na.amazon.com", amazon.baseUrl());
            over.put("https://api.amazon.com", amazon.baseUrl());
            over.put("https://api.ebay.com", ebay.baseUrl());
            over.put("A3EXAMPLESELLER", SupportDeskStubResource.AMAZON_SELLER);
            over.put("rateLimit: {requestsPerSecond: 2, burst: 40}", "rateLimit: {requestsPerSecond: 500, burst: 100}");
            over.put("rateLimit: {requestsPerSecond: 5, burst: 5}", "rateLimit: {requestsPerSecond: 500, burst: 100}");
            over.put("rateLimit: {requestsPerSecond: 10, burst: 10}", "rateLimit: {requestsPerSecond: 500, burst: 100}");
            routes = Examples.copy(EXAMPLE, over);
            Map<String, String> settings = new HashMap<>(Examples.store(EXAMPLE, routes));
            // the warehouse's table in the state store's database, as datasource: default has it
            try (Connection connection = TestDatabase.connect(DATABASE); Statement statement = connection.createStatement()) {
                for (String sql : Examples.statements(EXAMPLE, "warehouse-schema.sql")) {
                    statement.execute(sql);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            settings.putAll(Map.of("SHOPIFY_ACCESS_TOKEN", SupportDeskStubResource.SHOPIFY_TOKEN, "SHOPIFY_CLIENT_SECRET",
                    SupportDeskStubResource.SHOPIFY_SECRET, "AMAZON_LWA_CLIENT_ID", SupportDeskStubResource.AMAZON_CLIENT_ID,
                    "AMAZON_LWA_CLIENT_SECRET", SupportDeskStubResource.AMAZON_CLIENT_SECRET, "AMAZON_REFRESH_TOKEN",
                    SupportDeskStubResource.AMAZON_REFRESH_TOKEN, "EBAY_CLIENT_ID", SupportDeskStubResource.EBAY_CLIENT_ID,
                    "EBAY_CLIENT_SECRET", SupportDeskStubResource.EBAY_CLIENT_SECRET, "EBAY_REFRESH_TOKEN",
                    SupportDeskStubResource.EBAY_REFRESH_TOKEN, "syncline.alerts.slack-url", slack.url()));
            return settings;
        }

        @Override
        public void inject(TestInjector testInjector) {
            testInjector.injectIntoFields(shopify, new TestInjector.MatchesType(ShopifyStub.class));
            testInjector.injectIntoFields(amazon, new TestInjector.MatchesType(AmazonSpStub.class));
            testInjector.injectIntoFields(ebay, new TestInjector.MatchesType(EbayStub.class));
            testInjector.injectIntoFields(slack, new TestInjector.MatchesType(SlackStub.class));
        }

        @Override
        public void stop() {
            shopify.close();
            amazon.close();
            ebay.close();
            slack.close();
            RouteFolders.delete(routes);
        }
    }

    ShopifyStub shopify;
    AmazonSpStub amazon;
    EbayStub ebay;
    SlackStub slack;

    /** Each SKU's Shopify variant. */
    private final Map<String, Long> variants = new HashMap<>();

    /**
     * Every call to Amazon and eBay carried a token their endpoints gave and is an operation of their published
     * descriptions, and follows them; every call to Shopify carried the app's access token, to the REST Admin API's
     * variants and inventory levels.
     */
    @AfterEach
    void everyRequestFollowsTheProvidersDescriptions() {
        List<HubSpotStub.Received> toAmazon = amazon.received().stream().filter(call -> !call.path().equals(AmazonSpStub.TOKEN))
                .toList();
        assertThat(toAmazon).isNotEmpty().allSatisfy(call -> assertThat(amazon.accessTokens()).contains(call.header(
                "x-amz-access-token")));
        assertThat(AMAZON_ORDERS.violations(toAmazon.stream().filter(call -> call.path().startsWith(AmazonSpStub.ORDERS)).toList()))
                .as(AMAZON_ORDERS.used()).isEmpty();
        assertThat(AMAZON_LISTINGS.violations(toAmazon.stream().filter(call -> call.path().startsWith(AmazonSpStub.LISTINGS))
                .toList())).as(AMAZON_LISTINGS.used()).isEmpty();
        List<HubSpotStub.Received> toEbay = ebay.received().stream().filter(call -> !call.path().equals(EbayStub.TOKEN)).toList();
        assertThat(toEbay).isNotEmpty().allSatisfy(call -> assertThat(ebay.accessTokens()).contains(call.header("Authorization")
                .substring("Bearer ".length())));
        assertThat(EBAY_INVENTORY.violations(toEbay.stream().filter(call -> call.path().startsWith(EbayStub.INVENTORY)).toList()))
                .as(EBAY_INVENTORY.used()).isEmpty();
        assertThat(EBAY_FULFILLMENT.violations(toEbay.stream().filter(call -> call.path().startsWith(EbayStub.ORDERS)).toList()))
                .as(EBAY_FULFILLMENT.used()).isEmpty();
        assertThat(shopify.received()).allSatisfy(call -> {
            assertThat(call.header("X-Shopify-Access-Token")).isEqualTo(SupportDeskStubResource.SHOPIFY_TOKEN);
            assertThat(call.path()).matches(java.util.regex.Pattern.quote(ShopifyStub.API) + "/(webhooks|variants|inventory_levels)[/.].*");
        });
    }

    @Test
    void thousandConcurrentOrdersAcrossTheChannelsLeaveTheWarehouseAndEveryChannelAtTheSameStock() throws Exception {
        // eight SKUs: seven of 500, and one whose orders take it to exactly 0, crossing its reorder point on the way
        List<String> skus = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            skus.add("WIDGET-PRO-" + i);
        }
        record Order(int n, String channel, String sku, int quantity) {
        }
        List<Order> orders = new ArrayList<>();
        Map<String, Integer> sold = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            Order order = new Order(i, CHANNELS.get(i % 3), skus.get(i % skus.size()), 1 + (i / skus.size()) % 3);
            orders.add(order);
            sold.merge(order.sku(), order.quantity(), Integer::sum);
        }
        String runsOut = skus.get(7);
        Map<String, Integer> initial = new LinkedHashMap<>();
        skus.forEach(sku -> initial.put(sku, sku.equals(runsOut) ? sold.get(sku) : 500));
        initial.forEach((sku, quantity) -> stock(sku, quantity, sku.equals(runsOut) ? 40 : 10));

        Object amazonOrders = new Object();
        Object ebayOrders = new Object();
        List<Callable<Object>> posts = new ArrayList<>();
        for (Order order : orders) {
            posts.add(() -> {
                // the channel took the order: its own stock went down before it told anyone
                switch (order.channel()) {
                    case "shopify" -> {
                        shopify.sell(variants.get(order.sku()), LOCATION, order.quantity());
                        String body = shopify.order(6_000_000_000L + order.n(), Map.of(variants.get(order.sku()), order.quantity()));
                        String webhookId = "wh-" + order.n();
                        assertThat(shopifyOrder(body, webhookId).getInt("accepted")).isEqualTo(1);
                        if (order.n() % 10 == 0) {
                            // Shopify delivers again when it misses an answer: the same webhook id
                            assertThat(shopifyOrder(body, webhookId).getInt("duplicates")).isEqualTo(1);
                        }
                    }
                    case "amazon" -> {
                        amazon.sell(order.sku(), order.quantity());
                        // its time and its place among the orders taken together, as Amazon's clock and store would
                        synchronized (amazonOrders) {
                            amazon.order(amazonId(order.n()), "Unshipped", order.quantity() + "9.00", Instant.now(),
                                    Map.of(order.sku(), order.quantity()));
                        }
                    }
                    default -> {
                        ebay.sell(order.sku(), order.quantity());
                        synchronized (ebayOrders) {
                            ebay.order(ebayId(order.n()), order.sku(), order.quantity(), order.quantity() + "9.00", Instant.now());
                        }
                    }
                }
                return null;
            });
        }
        InParallel.run(16, posts);
        // a tenth of the marketplaces' orders ship: their next poll reads them again, and takes nothing more
        for (Order order : orders) {
            if (order.n() % 10 == 1 && order.channel().equals("amazon")) {
                synchronized (amazonOrders) {
                    amazon.order(amazonId(order.n()), "Shipped", order.quantity() + "9.00", Instant.now());
                }
            } else if (order.n() % 10 == 2 && order.channel().equals("ebay")) {
                synchronized (ebayOrders) {
                    ebay.order(ebayId(order.n()), order.sku(), order.quantity(), order.quantity() + "9.00", Instant.now())
                            .put("orderFulfillmentStatus", "FULFILLED");
                }
            }
        }

        Map<String, Integer> expected = new LinkedHashMap<>();
        skus.forEach(sku -> expected.put(sku, initial.get(sku) - sold.get(sku)));
        assertThat(expected.get(runsOut)).isZero();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(unfinished()).isZero();
            assertThat(warehouse(skus)).isEqualTo(expected);
            assertThat(channel("shopify", skus)).isEqualTo(expected);
            assertThat(channel("amazon", skus)).isEqualTo(expected);
            assertThat(channel("ebay", skus)).isEqualTo(expected);
        });

        // nothing lost, nothing doubled: one event a line (Shopify's redeliveries and the marketplaces' orders read
        // again stored once), each taken off the warehouse once, and one push of the warehouse's total per order
        String[] keys = skus.stream().flatMap(sku -> java.util.stream.Stream.of(sku, variants.get(sku).toString()))
                .toArray(String[]::new);
        assertThat(query("SELECT source_system, origin, status, count(*) AS n FROM inbox WHERE entity = 'stockItem'"
                + " AND record_key = ANY(?) GROUP BY source_system, origin, status ORDER BY source_system", (Object) keys))
                .extracting(row -> row.get("source_system") + " "
                        + row.get("origin") + " " + row.get("status") + " " + row.get("n"))
                .containsExactly("amazon webhook done 333", "ebay webhook done 333", "shopify webhook done 334",
                        "warehouse resync done 1000");
        assertThat(query("SELECT target_system, count(*) AS n, count(DISTINCT event_key) AS events FROM audit_log"
                + " WHERE entity = 'stockItem' AND action = 'updated' AND source_system <> 'warehouse' AND canonical_id = ANY(?)"
                + " GROUP BY target_system", (Object) skus.toArray(String[]::new)))
                .extracting(row -> row.get("target_system") + " " + row.get("n") + " " + row.get("events"))
                .containsExactly("warehouse 1000 1000");
        // and each of the warehouse's 1,000 totals reached each channel once
        assertThat(query("SELECT target_system, count(*) AS n, count(DISTINCT event_key) AS events FROM audit_log"
                + " WHERE entity = 'stockItem' AND source_system = 'warehouse' AND canonical_id = ANY(?) GROUP BY target_system"
                + " ORDER BY target_system", (Object) skus.toArray(String[]::new))).extracting(row -> row.get("target_system") + " "
                        + row.get("n") + " " + row.get("events"))
                .containsExactly("amazon 1000 1000", "ebay 1000 1000", "shopify 1000 1000");
        assertThat(query("SELECT count(*) AS n FROM dead_letter").get(0).get("n")).isEqualTo(0L);
        assertThat(query("SELECT count(*) AS n FROM review_item WHERE source_id = ANY(?)", (Object) keys).get(0).get("n"))
                .isEqualTo(0L);
        // the stock that ran out crossed its reorder point once: told to Slack once, counted once
        assertThat(slack.messages).filteredOn(message -> "lowStock".equals(message.get("rule"))
                && runsOut.equals(message.get("record"))).singleElement()
                .satisfies(message -> assertThat((String) message.get("text")).contains("quantity < reorderPoint"));
        assertThat(firings("lowStock", "alert", "shopify")).isEqualTo(1.0);
        assertThat(query("SELECT count(*) AS n FROM audit_log WHERE entity = 'stockItem' AND canonical_id = ? AND detail LIKE ?",
                runsOut, "%rule lowStock%").get(0).get("n")).isEqualTo(1L);
        // the channels were set, never told an order: Shopify by inventory_levels/set.json, Amazon by its listings'
        // patches, eBay by bulk_update_price_quantity
        assertThat(shopify.received().stream().filter(call -> call.path().equals(ShopifyStub.ADJUST_LEVEL))).isEmpty();
        assertThat(shopify.received().stream().filter(call -> call.path().equals(ShopifyStub.SET_LEVEL))).isNotEmpty();
        assertThat(amazon.received().stream().filter(call -> call.method().equals("PATCH"))).isNotEmpty();
        assertThat(ebay.received("POST", EbayStub.BULK)).isNotEmpty();
    }

    /**
     * Two channels each sell 2 of the last 3 before either hears of the other's order: the first order is taken off
     * the warehouse, whose 1 left is set in every channel; the second, which the warehouse cannot cover, waits in the
     * review queue held by the floor, and reaches no system: none goes below 0.
     */
    @Test
    void anOrderBeyondTheStockWaitsInReviewAndNoSystemGoesBelowZero() throws Exception {
        String sku = "LAST-UNITS";
        stock(sku, 3, 0);
        shopify.sell(variants.get(sku), LOCATION, 2);
        ebay.sell(sku, 2);

        String order = shopify.order(7_000_000_001L, Map.of(variants.get(sku), 2));
        // an order whose signature is not the app's secret's is refused, and takes nothing
        given().contentType(ContentType.JSON).header("X-Shopify-Hmac-Sha256", SupportDeskStubResource.sign("not-the-secret", order))
                .header("X-Shopify-Topic", "orders/create").header("X-Shopify-Webhook-Id", "wh-forged").body(order).when()
                .post("/webhooks/shopify/orders").then().statusCode(401);
        assertThat(shopifyOrder(order, "wh-last-1").getInt("accepted")).isEqualTo(1);
        Map<String, Integer> one = Map.of(sku, 1);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(unfinished()).isZero();
            assertThat(warehouse(List.of(sku))).isEqualTo(one);
            for (String channel : CHANNELS) {
                assertThat(channel(channel, List.of(sku))).as(channel).isEqualTo(one);
            }
        });
        ebay.order("15-55000-00001", sku, 2, "29.00", Instant.now());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(query("SELECT target_system, strategy FROM review_item"
                + " WHERE kind = 'held_by_rule' AND status = 'open' AND source_id = ?", sku)).extracting(
                        row -> row.get(
                                "target_system") + " " + row.get("strategy"))
                .singleElement().asString()
                .startsWith("warehouse rule quantity-floor"));

        assertThat(unfinished()).isZero();
        assertThat(warehouse(List.of(sku))).isEqualTo(one);
        for (String channel : CHANNELS) {
            assertThat(channel(channel, List.of(sku))).as(channel).isEqualTo(one);
        }
        assertThat(query("SELECT status FROM inbox WHERE source_system = 'ebay' AND record_key = ?", sku))
                .extracting(row -> row.get("status")).containsExactly("held");
    }

    /**
     * The warehouse counts a stock of 99 again and posts 30: a fall of more than half, held at the first channel
     * (the safety threshold, rule stockDrop) and shown by none until a person approves it there and at each channel
     * after it; then every channel shows 30.
     */
    @Test
    void aRecountThatMoreThanHalvesAStockIsHeldBeforeAnyChannelShowsIt() throws Exception {
        String sku = "RECOUNT-1";
        stock(sku, 100, 0);
        // an order first: every channel then holds the warehouse's 99, the stock the rule compares with
        shopify.sell(variants.get(sku), LOCATION, 1);
        shopifyOrder(shopify.order(7_000_000_002L, Map.of(variants.get(sku), 1)), "wh-recount-1");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(unfinished()).isZero();
            for (String channel : CHANNELS) {
                assertThat(channel(channel, List.of(sku))).as(channel).isEqualTo(Map.of(sku, 99));
            }
        });
        double before = firings("stockDrop", "hold", "shopify");

        // the warehouse's application counts 30 and says so
        TestDatabase.updateOn(DATABASE, "UPDATE stock_levels SET inventory_quantity = 30 WHERE sku = ?", sku);
        given().contentType(ContentType.JSON).body(Map.of("sku", sku, "inventory_quantity", 30, "reorder_point", 0,
                "warehouse_location", "A-01")).when().post("/webhooks/warehouse/stock").then().statusCode(202);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(query("SELECT target_system, strategy FROM review_item"
                + " WHERE kind = 'held_by_rule' AND status = 'open' AND source_id = ?", sku)).extracting(
                        row -> row.get(
                                "target_system") + " " + row.get("strategy"))
                .singleElement().asString().startsWith("shopify rule stockDrop"));
        for (String channel : CHANNELS) {
            assertThat(channel(channel, List.of(sku))).as(channel).isEqualTo(Map.of(sku, 99));
        }
        assertThat(firings("stockDrop", "hold", "shopify")).isEqualTo(before + 1);

        // a person approves the count: at each channel in turn, until none is held
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (Map<String, Object> item : query("SELECT id FROM review_item WHERE kind = 'held_by_rule' AND status = 'open'"
                    + " AND source_id = ? ORDER BY id", sku)) {
                given().auth().preemptive().basic("admin", "test-only-password").contentType(ContentType.JSON)
                        .body("{\"approve\": true}").when().post("/admin/review-items/" + item.get("id") + "/resolve").then()
                        .statusCode(200);
            }
            for (String channel : CHANNELS) {
                assertThat(channel(channel, List.of(sku))).as(channel).isEqualTo(Map.of(sku, 30));
            }
        });
        assertThat(query("SELECT target_system FROM review_item WHERE kind = 'held_by_rule' AND source_id = ? ORDER BY id", sku))
                .extracting(row -> row.get("target_system")).containsExactly("shopify", "amazon", "ebay");
        assertThat(warehouse(List.of(sku))).isEqualTo(Map.of(sku, 30));
    }

    private static String amazonId(int n) {
        return String.format("114-5550000-%07d", n);
    }

    private static String ebayId(int n) {
        return String.format("14-55000-%05d", n);
    }

    /** {@code sku} stocked {@code quantity} in the warehouse and every channel, and linked across them in the ID map. */
    private void stock(String sku, int quantity, int reorderPoint) {
        TestDatabase.updateOn(DATABASE, "INSERT INTO stock_levels (sku, inventory_quantity, reorder_point, warehouse_location)"
                + " VALUES (?, ?, ?, 'A-01')", sku, quantity, reorderPoint);
        long variant = shopify.variant(sku, LOCATION, quantity);
        variants.put(sku, variant);
        amazon.list(sku, quantity);
        ebay.item(sku, quantity);
        String csv = "entity,canonical_id,system,system_id\n" + "stockItem," + sku + ",warehouse," + sku + "\n" + "stockItem," + sku
                + ",shopify," + variant + "\n" + "stockItem," + sku + ",amazon," + sku + "\n" + "stockItem," + sku + ",ebay," + sku + "\n";
        given().auth().preemptive().basic("admin", "test-only-password").contentType("text/csv; charset=utf-8")
                .body(csv.getBytes(StandardCharsets.UTF_8)).when().post("/admin/id-map/import?dryRun=false").then().statusCode(200);
    }

    private static io.restassured.path.json.JsonPath shopifyOrder(String body, String webhookId) throws Exception {
        return given().contentType(ContentType.JSON).header("X-Shopify-Hmac-Sha256", SupportDeskStubResource.sign(
                SupportDeskStubResource.SHOPIFY_SECRET, body)).header("X-Shopify-Topic", "orders/create")
                .header("X-Shopify-Webhook-Id", webhookId).body(body).when().post("/webhooks/shopify/orders").then().statusCode(202)
                .extract().jsonPath();
    }

    private static List<Map<String, Object>> query(String sql, Object... parameters) {
        return TestDatabase.queryOn(DATABASE, sql, parameters);
    }

    private static long unfinished() {
        return (Long) query("SELECT count(*) AS n FROM inbox WHERE status NOT IN ('done', 'held', 'dead')").get(0).get("n");
    }

    private static Map<String, Integer> warehouse(List<String> skus) {
        Map<String, Integer> stock = new LinkedHashMap<>();
        for (String sku : skus) {
            stock.put(sku, ((Number) query("SELECT inventory_quantity FROM stock_levels WHERE sku = ?", sku).get(0)
                    .get("inventory_quantity")).intValue());
        }
        return stock;
    }

    private Map<String, Integer> channel(String channel, List<String> skus) {
        Map<String, Integer> stock = new LinkedHashMap<>();
        for (String sku : skus) {
            Number quantity = switch (channel) {
                case "shopify" -> shopify.available(variants.get(sku), LOCATION);
                case "amazon" -> amazon.quantity(sku);
                default -> ebay.quantity(sku);
            };
            stock.put(sku, quantity == null ? null : quantity.intValue());
        }
        return stock;
    }

    private static double firings(String rule, String action, String target) {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        String series = "syncline_rule_firings_total{action=\"" + action + "\",entity=\"stockItem\",rule=\"" + rule + "\",target=\""
                + target + "\"} ";
        return metrics.lines().filter(line -> line.startsWith(series)).mapToDouble(line -> Double.parseDouble(line.substring(series
                .length()).trim())).findFirst().orElse(0.0);
    }
}
