package io.syncline.connector.amazonsp;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.connector.SystemTypes;
import io.syncline.testsupport.AmazonSpStub;
import io.syncline.testsupport.ApiDescription;
import io.syncline.testsupport.DeadLetters;
import io.syncline.testsupport.FastRetriesProfile;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.IdMapLinks;
import io.syncline.testsupport.SupportDeskStubResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seller's Amazon listings and orders through {@code type: amazon-sp} (the preset, and the amazon-sp plug-in's
 * listing patches), against a stub of Amazon's Selling Partner API and its Login with Amazon token endpoint, with
 * the state store on PostgreSQL: the warehouse's stock levels reach the listing of each SKU as the quantity the
 * seller fulfils ({@code PATCH} of {@code /attributes/fulfillment_availability}), and a SKU it deletes is
 * withdrawn ({@code DELETE} of the listing), with an access token from the
 * seller's refresh token sent in {@code x-amz-access-token}; a submission Amazon finds {@code INVALID} and its error
 * list are dead letters' reasons; its 429 waited out for one request of the rate {@code x-amzn-RateLimit-Limit}
 * gives; a listing fetched with its attributes as the mapping reads them; the marketplace's orders polled by
 * {@code LastUpdatedAfter}, page after page by {@code NextToken}. Every request to the Selling Partner API is
 * checked against the whole of Amazon's published description of its API (the Orders API v0 and the Listings
 * Items API 2021-08-01, Swagger 2.0, committed in this repository); the token endpoint, which they do not
 * describe, is checked against Login with Amazon's reference pages here.
 */
@QuarkusTest
@TestProfile(FastRetriesProfile.class)
@WithTestResource(SupportDeskStubResource.class)
class AmazonSpPresetTest {

    static final String DATABASE = SupportDeskStubResource.DATABASE_URL;
    static final ApiDescription ORDERS = ApiDescription.published("amazon-sp/ordersV0.json");
    static final ApiDescription LISTINGS = ApiDescription.published("amazon-sp/listingsItems_2021-08-01.json");
    static final String LISTING = AmazonSpStub.LISTINGS + "/" + SupportDeskStubResource.AMAZON_SELLER + "/";

    AmazonSpStub amazon;

    @Inject
    SystemTypes types;

    /**
     * Every call carried an access token the token endpoint gave, which was asked for with the refresh grant and
     * the app's credentials in the form, and every call is an operation of Amazon's published descriptions and
     * follows them.
     */
    @AfterEach
    void everyRequestFollowsAmazonsPublishedDescriptions() {
        assertThat(ORDERS.whole()).isTrue();
        assertThat(LISTINGS.whole()).isTrue();
        List<HubSpotStub.Received> tokens = amazon.received("POST", AmazonSpStub.TOKEN);
        assertThat(tokens).isNotEmpty().allSatisfy(token -> {
            assertThat(token.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
            assertThat(token.header("Authorization")).isNull();
            assertThat(AmazonSpStub.form(token.body())).containsEntry("grant_type", "refresh_token")
                    .containsEntry("refresh_token", SupportDeskStubResource.AMAZON_REFRESH_TOKEN)
                    .containsEntry("client_id", SupportDeskStubResource.AMAZON_CLIENT_ID)
                    .containsEntry("client_secret", SupportDeskStubResource.AMAZON_CLIENT_SECRET);
        });
        List<HubSpotStub.Received> calls = amazon.received().stream().filter(request -> !request.path().equals(AmazonSpStub.TOKEN))
                .toList();
        assertThat(calls).allSatisfy(call -> {
            assertThat(amazon.accessTokens()).contains(call.header("x-amz-access-token"));
            assertThat(call.header("Authorization")).isNull();
        });
        assertThat(ORDERS.violations(calls.stream().filter(call -> call.path().startsWith(AmazonSpStub.ORDERS)).toList()))
                .as(ORDERS.used()).isEmpty();
        assertThat(LISTINGS.violations(calls.stream().filter(call -> call.path().startsWith(AmazonSpStub.LISTINGS)).toList()))
                .as(LISTINGS.used()).isEmpty();
    }

    private static void stock(String sku, int quantity) {
        given().contentType(ContentType.JSON).body(Map.of("sku", sku, "quantity", quantity)).when().post("/webhooks/billing/stock")
                .then().statusCode(202);
    }

    private static void discontinued(String sku) {
        given().contentType(ContentType.JSON).body(Map.of("sku", sku, "quantity", 0, "deleted", true)).when()
                .post("/webhooks/billing/stock").then().statusCode(202);
    }

    static String lastStatus(String sku) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT status FROM inbox WHERE payload LIKE ?"
                + " AND status IN ('done', 'held', 'dead') ORDER BY id DESC", "%\"" + sku + "\"%").get(0).get("status");
    }

    static String sku() {
        return "WIDGET-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
    }

    @Test
    void theWarehousesStockIsTheQuantityOfTheListingOfItsSkuUntilItIsWithdrawn() {
        String sku = sku();
        amazon.list(sku, 3);

        stock(sku, 40);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Integer.valueOf(40).equals(amazon.quantity(sku)));
        assertThat(amazon.received("PATCH", LISTING + sku)).singleElement().satisfies(patch -> {
            assertThat(patch.query()).isEqualTo("marketplaceIds=" + SupportDeskStubResource.AMAZON_MARKETPLACE);
            assertThat(patch.json()).isEqualTo(Map.of("productType", "PRODUCT", "patches", List.of(Map.of("op", "replace",
                    "path", "/attributes/fulfillment_availability", "value", List.of(Map.of("quantity", 40,
                            "fulfillment_channel_code", "DEFAULT"))))));
        });
        assertThat(lastStatus(sku)).isEqualTo("done");

        stock(sku, 37);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Integer.valueOf(37).equals(amazon.quantity(sku)));
        assertThat(amazon.received("PATCH", LISTING + sku)).hasSize(2);
        // one access token, kept for its hour, for both writes
        assertThat(amazon.accessTokens()).isNotEmpty();
        assertThat(amazon.received("PATCH", LISTING + sku).stream().map(patch -> patch.header("x-amz-access-token")).distinct())
                .hasSize(1);

        // a SKU the warehouse no longer stocks is withdrawn from the marketplace
        discontinued(sku);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !amazon.lists(sku));
        assertThat(amazon.received("DELETE", LISTING + sku)).singleElement()
                .satisfies(delete -> assertThat(delete.query()).isEqualTo("marketplaceIds=" + SupportDeskStubResource.AMAZON_MARKETPLACE));
    }

    @Test
    void aListingIsFetchedWithItsAttributesAsTheMappingReadsThem() throws Exception {
        String sku = sku();
        amazon.list(sku, 12);

        Map<String, Object> listing = types.of("amazon").fetch("stocklevel", "amazon", sku).orElseThrow();

        assertThat(listing).containsEntry("sku", sku).containsEntry("item_name", "Widget " + sku);
        assertThat(listing.get("fulfillment_availability")).isEqualTo(Map.of("fulfillment_channel_code", "DEFAULT", "quantity", 12));
        assertThat(types.of("amazon").fetch("stocklevel", "amazon", sku + "-GONE")).isEmpty();
        assertThat(amazon.received("GET", LISTING + sku)).singleElement()
                .satisfies(get -> assertThat(get.query()).contains("includedData=summaries"));
    }

    @Test
    void aSubmissionAmazonFindsInvalidIsADeadLetterNamingItsIssue() {
        String sku = sku();

        stock(sku, 5);
        assertThat(lastStatus(sku)).isEqualTo("dead");
        DeadLetters.assertRefusedOnce(DATABASE, "\"sku\":\"" + sku + "\"", "amazon refused PATCH " + LISTING + sku
                + ": INVALID: The SKU '" + sku + "' does not match any listing of the seller in marketplace "
                + SupportDeskStubResource.AMAZON_MARKETPLACE + " (4000004)");
    }

    @Test
    void amazonsErrorListIsADeadLettersReason() {
        String sku = sku();
        amazon.list(sku, 1);
        amazon.respondNext("PATCH", LISTING + sku, 400, AmazonSpStub.errors("InvalidInput", "Request has missing or invalid"
                + " parameters and cannot be parsed.", "productType"));

        stock(sku, 9);
        assertThat(lastStatus(sku)).isEqualTo("dead");
        DeadLetters.assertRefusedOnce(DATABASE, "\"sku\":\"" + sku + "\"", "amazon rejected PATCH " + LISTING + sku
                + ": 400 Request has missing or invalid parameters and cannot be parsed. (InvalidInput)");
    }

    @Test
    void amazonsRateLimitIsWaitedOutForOneRequestOfItsRate() {
        String sku = sku();
        amazon.list(sku, 0);
        int before = amazon.received().size();
        amazon.rateLimitNext("PATCH", LISTING + sku);

        stock(sku, 8);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Integer.valueOf(8).equals(amazon.quantity(sku)));
        assertThat(lastStatus(sku)).isEqualTo("done");

        List<HubSpotStub.Received> calls = amazon.received().subList(before, amazon.received().size()).stream()
                .filter(call -> call.method().equals("PATCH")).toList();
        assertThat(calls).hasSizeGreaterThan(1);
        // x-amzn-RateLimit-Limit: 5.0 a second, so the write is not sent again within 200 ms
        assertThat(calls.get(1).at()).isAfterOrEqualTo(calls.get(0).at().plusMillis(200));
    }

    @Test
    void theMarketplacesOrdersArePolledByTheirLastUpdatePageByPage() {
        String run = UUID.randomUUID().toString().substring(0, 6);
        // updated now: after whatever the same polls read in this class's other tests, in any order they run
        Instant updated = Instant.now();
        IntStream.range(0, 130).forEach(i -> amazon.order("111-" + run + "-" + String.format("%07d", i), "Unshipped",
                i + ".50", updated.plusMillis(i)));

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> TestDatabase.queryOn(DATABASE,
                "SELECT order_id FROM market_order WHERE order_id LIKE ?", "111-" + run + "-%").size() == 130);
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT status, total FROM market_order WHERE order_id = ?", "111-" + run + "-0000007"))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("status", "Unshipped")
                        .containsEntry("total", new java.math.BigDecimal("7.50")));
        List<HubSpotStub.Received> polls = amazon.received("GET", AmazonSpStub.ORDERS);
        assertThat(polls).allSatisfy(poll -> assertThat(poll.query()).contains("MarketplaceIds="
                + SupportDeskStubResource.AMAZON_MARKETPLACE).contains("LastUpdatedAfter="));
        assertThat(polls).anySatisfy(poll -> assertThat(poll.query()).contains("NextToken="));

        // an order changed later comes with the next poll, before the older ones at the watermark's instant:
        // Amazon documents no order of its answer, and the poll moves its watermark once it has read every page
        amazon.order("111-" + run + "-0000007", "Shipped", "7.50", Instant.now());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "Shipped".equals(TestDatabase.queryOn(DATABASE,
                "SELECT status FROM market_order WHERE order_id = ?", "111-" + run + "-0000007").get(0).get("status")));
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT order_id FROM market_order WHERE order_id LIKE ?", "111-" + run + "-%"))
                .hasSize(130);
    }

    /**
     * Stock against Amazon's orders (the amazonStock entity of marketplaces.syncline.yaml): each item of an order
     * (getOrderItems) is taken off the warehouse once, by its OrderItemId, however often a poll reads its order
     * again, and the warehouse's new total is set as the listing's quantity.
     */
    @Test
    void anOrdersItemsAreTakenOffTheWarehouseOnceAndItsTotalSetAsTheListingsQuantity() {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String boots = sku();
        String socks = sku();
        for (Map.Entry<String, Integer> stock : Map.of(boots, 20, socks, 10).entrySet()) {
            TestDatabase.updateOn(DATABASE, "INSERT INTO amazon_stock (sku, on_hand) VALUES (?, ?)", stock.getKey(), stock.getValue());
            amazon.list(stock.getKey(), stock.getValue());
            IdMapLinks.link("amazonStock", Map.of(stock.getKey(), Map.of("billing", stock.getKey(), "amazon", stock.getKey())));
        }
        // placed now: after whatever the same polls read in this class's other tests, in any order they run
        Instant placed = Instant.now();
        String first = "112-" + run + "-0000001";
        amazon.order(first, "Unshipped", "30.00", placed, new java.util.LinkedHashMap<>(Map.of(boots, 2, socks, 1)));
        amazon.order("112-" + run + "-0000002", "Unshipped", "30.00", placed.plusMillis(5), Map.of(boots, 3));

        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(onHand(boots)).isEqualTo(15);
            assertThat(onHand(socks)).isEqualTo(9);
            assertThat(amazon.quantity(boots)).isEqualTo(15);
            assertThat(amazon.quantity(socks)).isEqualTo(9);
        });
        // the first order ships: its next poll reads it, and its items, again; they were taken already
        int reads = amazon.received("GET", AmazonSpStub.ORDERS + "/" + first + "/orderItems").size();
        amazon.order(first, "Shipped", "30.00", placed.plusSeconds(1));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> amazon.received("GET", AmazonSpStub.ORDERS + "/" + first
                + "/orderItems").size() > reads && TestDatabase.queryOn(DATABASE, "SELECT 1 FROM inbox WHERE entity = 'amazonStock'"
                        + " AND record_key IN (?, ?) AND status <> 'done'", boots, socks).isEmpty());
        assertThat(onHand(boots)).isEqualTo(15);
        assertThat(onHand(socks)).isEqualTo(9);
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT event_id FROM inbox WHERE entity = 'amazonStock' AND source_system = 'amazon'"
                + " AND record_key IN (?, ?)", boots, socks)).as("one event an item").hasSize(3);
    }

    private static int onHand(String sku) {
        return ((Number) TestDatabase.queryOn(DATABASE, "SELECT on_hand FROM amazon_stock WHERE sku = ?", sku).get(0).get("on_hand"))
                .intValue();
    }
}
