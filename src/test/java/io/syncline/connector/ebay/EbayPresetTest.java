package io.syncline.connector.ebay;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.connector.SystemTypes;
import io.syncline.testsupport.ApiDescription;
import io.syncline.testsupport.DeadLetters;
import io.syncline.testsupport.EbayStub;
import io.syncline.testsupport.FastRetriesProfile;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.IdMapLinks;
import io.syncline.testsupport.InboxBacklog;
import io.syncline.testsupport.SupportDeskStubResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seller's eBay inventory items and orders through {@code type: ebay} (the preset, and the ebay plug-in's
 * writes), against a stub of eBay's Sell Inventory and Sell Fulfillment APIs and its OAuth token endpoint, with the
 * state store on PostgreSQL: the warehouse's stock levels reach the inventory item of each SKU as its ship-to-home
 * quantity, the item's first write keeping the product eBay holds ({@code GET} then {@code PUT}) and every later one
 * by {@code bulk_update_price_quantity}, a backlog 25 items a call, an item eBay refuses a dead letter with its
 * error and the others written, and a SKU the warehouse deletes deleted; eBay's 429 waited out; an item fetched as the
 * mapping reads it; the seller's orders polled by {@code lastmodifieddate} in getOrders' filter, page after page by
 * each page's {@code next}. A user access token comes from the seller's refresh token, the app's credentials as HTTP
 * Basic, and goes as {@code Authorization: Bearer}. Every request to the Sell APIs is checked against eBay's
 * published descriptions ({@code sell_inventory_v1_oas3.json}, {@code sell_fulfillment_v1_oas3.json}): the whole
 * files where they are placed, else the excerpts kept here (eBay's API licence does not let them be redistributed);
 * the token endpoint, which they do not describe, against eBay's reference page "Using a refresh token to update a
 * User access token" here.
 */
@QuarkusTest
@TestProfile(FastRetriesProfile.class)
@WithTestResource(SupportDeskStubResource.class)
class EbayPresetTest {

    static final String DATABASE = SupportDeskStubResource.DATABASE_URL;
    static final ApiDescription INVENTORY = ApiDescription.published("ebay/sell_inventory_v1_oas3.json");
    static final ApiDescription FULFILLMENT = ApiDescription.published("ebay/sell_fulfillment_v1_oas3.json");
    static final String ITEM = EbayStub.ITEMS + "/";

    EbayStub ebay;

    @Inject
    SystemTypes types;

    /**
     * Every token was asked for with the refresh grant, the seller's refresh token and the scopes it was granted, the
     * app's id and secret as HTTP Basic credentials and not in the form; every call carried a token the endpoint gave,
     * and is an operation of eBay's published descriptions and follows them.
     */
    @AfterEach
    void everyRequestFollowsEbaysPublishedDescriptions() {
        String basic = "Basic " + Base64.getEncoder().encodeToString((SupportDeskStubResource.EBAY_CLIENT_ID + ":"
                + SupportDeskStubResource.EBAY_CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        List<HubSpotStub.Received> tokens = ebay.received("POST", EbayStub.TOKEN);
        assertThat(tokens).isNotEmpty().allSatisfy(token -> {
            assertThat(token.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
            assertThat(token.header("Authorization")).isEqualTo(basic);
            Map<String, String> form = EbayStub.form(token.body());
            assertThat(form).containsEntry("grant_type", "refresh_token")
                    .containsEntry("refresh_token", SupportDeskStubResource.EBAY_REFRESH_TOKEN)
                    .doesNotContainKeys("client_id", "client_secret");
            assertThat(form.get("scope").split(" ")).containsExactlyInAnyOrderElementsOf(EbayStub.SCOPES);
        });
        List<HubSpotStub.Received> calls = ebay.received().stream().filter(request -> !request.path().equals(EbayStub.TOKEN)).toList();
        assertThat(calls).allSatisfy(call -> assertThat(ebay.accessTokens()).contains(call.header("Authorization")
                .substring("Bearer ".length())));
        assertThat(INVENTORY.violations(calls.stream().filter(call -> call.path().startsWith(EbayStub.INVENTORY)).toList()))
                .as(INVENTORY.used()).isEmpty();
        assertThat(FULFILLMENT.violations(calls.stream().filter(call -> call.path().startsWith(EbayStub.ORDERS)).toList()))
                .as(FULFILLMENT.used()).isEmpty();
    }

    private static void stock(String sku, int quantity) {
        given().contentType(ContentType.JSON).body(Map.of("sku", sku, "quantity", quantity)).when().post("/webhooks/billing/ebay-stock")
                .then().statusCode(202);
    }

    static String sku() {
        return "GADGET-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(java.util.Locale.ROOT);
    }

    @Test
    void theWarehousesStockIsTheQuantityOfTheItemOfItsSkuUntilItIsDeleted() {
        String sku = sku();
        ebay.item(sku, 3);

        stock(sku, 40);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Integer.valueOf(40).equals(ebay.quantity(sku)));
        // the first write reads the item and puts it back whole, so that eBay keeps its product and condition
        assertThat(ebay.item(sku)).containsEntry("condition", "NEW").containsKey("product");
        assertThat(ebay.received("PUT", ITEM + sku)).singleElement().satisfies(put -> {
            assertThat(put.header("Content-Language")).isEqualTo("en-US");
            assertThat(put.json()).doesNotContainKeys("sku", "locale").containsEntry("availability",
                    Map.of("shipToLocationAvailability", Map.of("quantity", 40)));
        });
        assertThat(InboxBacklog.awaitSettled(DATABASE, sku)).isEqualTo("done");

        // later, the quantity alone
        stock(sku, 37);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Integer.valueOf(37).equals(ebay.quantity(sku)));
        assertThat(ebay.received("POST", EbayStub.BULK).stream().filter(call -> call.body().contains(sku))).singleElement()
                .satisfies(bulk -> assertThat(bulk.json()).isEqualTo(Map.of("requests", List.of(Map.of("sku", sku,
                        "shipToLocationAvailability", Map.of("quantity", 37))))));
        assertThat(ebay.received("PUT", ITEM + sku)).hasSize(1);
        assertThat(ebay.item(sku)).containsKey("product");

        // a SKU the warehouse no longer stocks is deleted from eBay
        given().contentType(ContentType.JSON).body(Map.of("sku", sku, "quantity", 0, "deleted", true)).when()
                .post("/webhooks/billing/ebay-stock").then().statusCode(202);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ebay.item(sku) == null);
        assertThat(ebay.received("DELETE", ITEM + sku)).hasSize(1);
    }

    @Test
    void aBacklogOfStockLevelsIsSetTwentyFiveItemsACallAndAnItemEbayRefusesIsADeadLetter() {
        String run = sku();
        List<String> skus = IntStream.range(0, 30).mapToObj(i -> run + "-" + i).toList();
        String missing = skus.get(7);
        for (String sku : skus) {
            if (!sku.equals(missing)) {
                ebay.item(sku, 1);
            }
            String canonical = UUID.randomUUID().toString();
            TestDatabase.queryOn(DATABASE, "INSERT INTO id_map (entity, canonical_id, system, system_id) VALUES ('ebaystock', ?,"
                    + " 'billing', ?), ('ebaystock', ?, 'ebay', ?) RETURNING system", canonical, sku, canonical, sku);
        }

        List<Long> ids = InboxBacklog.storeIn(DATABASE, "ebaystock", "billing", "ebay", IntStream.range(0, 30)
                .mapToObj(i -> Map.<String, Object>of("id", skus.get(i), "sku", skus.get(i), "quantity", 100 + i)).toList());
        TestDatabase.awaitRowsOn(DATABASE, "SELECT count(*) AS n FROM inbox WHERE id = ANY(?) AND status IN ('done', 'dead')"
                + " HAVING count(*) = ?", ids.toArray(Long[]::new), (long) ids.size());

        // ceil(30 / 25) calls, each item once; the others written from the call's answer without a second call
        assertThat(ebay.received("POST", EbayStub.BULK).stream().filter(call -> call.body().contains(run))
                .map(call -> ((List<?>) call.json().get("requests")).size()).toList()).containsExactly(25, 5);
        for (int i = 0; i < 30; i++) {
            assertThat(TestDatabase.queryOn(DATABASE, "SELECT status FROM inbox WHERE id = ?", ids.get(i)).get(0).get("status"))
                    .as("item %d", i).isEqualTo(i == 7 ? "dead" : "done");
            if (i != 7) {
                assertThat(ebay.quantity(skus.get(i))).as("item %d", i).isEqualTo(100 + i);
            }
        }
        DeadLetters.assertRefusedOnce(DATABASE, "\"sku\":\"" + missing + "\"", "We didn't find the entity you are requesting: SKU "
                + missing + ". (25710)");
    }

    @Test
    void ebaysErrorListIsADeadLettersReason() {
        String sku = sku();
        ebay.item(sku, 1);
        ebay.respondNext("PUT", ITEM + sku, 400, EbayStub.errors(25604, "API_INVENTORY", "Input error. Quantity must be 0 or more."));

        stock(sku, 9);
        assertThat(InboxBacklog.awaitSettled(DATABASE, sku)).isEqualTo("dead");
        DeadLetters.assertRefusedOnce(DATABASE, "\"sku\":\"" + sku + "\"", "ebay rejected PUT " + ITEM + sku
                + ": 400 Input error. Quantity must be 0 or more.");
    }

    @Test
    void ebaysCallLimitIsWaitedOut() {
        String sku = sku();
        ebay.item(sku, 0);
        ebay.rateLimitNext("GET", ITEM + sku);

        stock(sku, 8);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Integer.valueOf(8).equals(ebay.quantity(sku)));
        assertThat(InboxBacklog.awaitSettled(DATABASE, sku)).isEqualTo("done");
        assertThat(ebay.received("GET", ITEM + sku)).hasSizeGreaterThan(1);
    }

    @Test
    void anItemIsFetchedAsTheMappingReadsIt() throws Exception {
        String sku = sku();
        ebay.item(sku, 12);

        Map<String, Object> item = types.of("ebay").fetch("ebaystock", "ebay", sku).orElseThrow();

        assertThat(item).containsEntry("sku", sku).containsEntry("availability", Map.of("shipToLocationAvailability",
                Map.of("quantity", 12)));
        assertThat(types.of("ebay").fetch("ebaystock", "ebay", sku + "-GONE")).isEmpty();
    }

    @Test
    void theSellersOrdersArePolledByTheirLastModificationPageByPage() {
        String run = UUID.randomUUID().toString().substring(0, 6);
        // modified now: after whatever the same polls read in this class's other tests, in any order they run
        Instant modified = Instant.now();
        IntStream.range(0, 130).forEach(i -> ebay.order("12-" + run + "-" + String.format("%05d", i), "GADGET-1", 1, i + ".50",
                modified.plusMillis(i)));

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> TestDatabase.queryOn(DATABASE,
                "SELECT order_id FROM ebay_order WHERE order_id LIKE ?", "12-" + run + "-%").size() == 130);
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT status, total FROM ebay_order WHERE order_id = ?", "12-" + run + "-00007"))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("status", "NOT_STARTED")
                        .containsEntry("total", new java.math.BigDecimal("7.50")));
        List<HubSpotStub.Received> polls = ebay.received("GET", EbayStub.ORDERS);
        assertThat(polls).allSatisfy(poll -> assertThat(EbayStub.form(poll.query()).get("filter"))
                .matches("lastmodifieddate:\\[[0-9T:.Z-]+\\.\\.]"));
        // the second page is the one the first named in next
        assertThat(polls).anySatisfy(poll -> assertThat(EbayStub.form(poll.query())).containsEntry("offset", "100"));

        // an order modified later comes with a later poll
        Map<String, Object> shipped = ebay.order("12-" + run + "-00007", "GADGET-1", 1, "7.50", Instant.now());
        shipped.put("orderFulfillmentStatus", "FULFILLED");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "FULFILLED".equals(TestDatabase.queryOn(DATABASE,
                "SELECT status FROM ebay_order WHERE order_id = ?", "12-" + run + "-00007").get(0).get("status")));
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT order_id FROM ebay_order WHERE order_id LIKE ?", "12-" + run + "-%"))
                .hasSize(130);
    }

    /**
     * Stock against eBay's orders (the ebayOnHand entity of ebay.syncline.yaml): each line item of an order is taken
     * off the warehouse once, by its lineItemId, however often a poll reads its order again, and the warehouse's new
     * total is set as the item's quantity by bulk_update_price_quantity.
     */
    @Test
    void anOrdersLinesAreTakenOffTheWarehouseOnceAndItsTotalSetAsTheItemsQuantity() {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String lamp = sku();
        String bulb = sku();
        for (Map.Entry<String, Integer> stock : Map.of(lamp, 12, bulb, 6).entrySet()) {
            TestDatabase.updateOn(DATABASE, "INSERT INTO ebay_on_hand (sku, on_hand) VALUES (?, ?)", stock.getKey(), stock.getValue());
            ebay.item(stock.getKey(), stock.getValue());
            IdMapLinks.link("ebayOnHand", Map.of(stock.getKey(), Map.of("billing", stock.getKey(), "ebay", stock.getKey())));
        }
        // placed now: after whatever the same polls read in this class's other tests, in any order they run
        Instant placed = Instant.now();
        String first = "13-" + run + "-00001";
        // placed before the first, and read after it in the same poll (eBay's answer lists it second): an older
        // change of the stock, no stale one. Made first, so that a poll between the two cannot leave it behind its
        // watermark
        ebay.order("13-" + run + "-00002", lamp, 3, "60.00", placed.minusMillis(5));
        ebay.order(first, lamp, 2, "40.00", placed);
        ebay.order("13-" + run + "-00003", bulb, 1, "5.00", placed.plusMillis(5));

        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(onHand(lamp)).isEqualTo(7);
            assertThat(onHand(bulb)).isEqualTo(5);
            assertThat(ebay.quantity(lamp)).isEqualTo(7);
            assertThat(ebay.quantity(bulb)).isEqualTo(5);
        });
        // the first order ships: the next poll reads it again, and its line was taken already
        int polls = ebay.received("GET", EbayStub.ORDERS).size();
        ebay.order(first, lamp, 2, "40.00", placed.plusSeconds(1));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ebay.received("GET", EbayStub.ORDERS).size() > polls + 2
                && TestDatabase.queryOn(DATABASE, "SELECT 1 FROM inbox WHERE entity = 'ebayOnHand' AND record_key IN (?, ?)"
                        + " AND status <> 'done'", lamp, bulb).isEmpty());
        assertThat(onHand(lamp)).isEqualTo(7);
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT event_id FROM inbox WHERE entity = 'ebayOnHand' AND source_system = 'ebay'"
                + " AND record_key IN (?, ?)", lamp, bulb)).as("one event a line").hasSize(3);
    }

    private static int onHand(String sku) {
        return ((Number) TestDatabase.queryOn(DATABASE, "SELECT on_hand FROM ebay_on_hand WHERE sku = ?", sku).get(0).get("on_hand"))
                .intValue();
    }
}
