package io.syncline.sync;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.syncline.testsupport.ErpOnMariaDbProfile;
import io.syncline.testsupport.InParallel;
import io.syncline.testsupport.MariaDbTargetResource;
import io.syncline.testsupport.MariaDbTestDatabase;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stock levels synced as changes (src/test/resources/mariadb-routes/stock.syncline.yaml): three
 * sales channels on MariaDB post the orders they take, and each order's line quantity is taken
 * off the other channels and the warehouse (the state store's PostgreSQL) once, whatever the
 * order of arrival, the concurrency or the redeliveries; an order the stock cannot cover is held,
 * and no system goes below 0. A channel that reports its stock level instead has the difference
 * from its last report applied, and its report of Syncline's own write is an echo. A total that
 * drifted (a sale Syncline never heard of) is a mismatched difference of a reconciliation.
 *
 * <p>On the ErpOnMariaDbProfile key: the model adds an entity of its own beside the contacts the
 * other tests of the key sync, and the tables come with {@link MariaDbTargetResource}.
 */
@QuarkusTest
@TestProfile(ErpOnMariaDbProfile.class)
@WithTestResource(PostgresDatabaseResource.class)
@WithTestResource(MariaDbTargetResource.class)
class QuantitySyncTest {

    private static final List<String> CHANNELS = List.of("shopify", "amazon", "ebay");
    private static final Map<String, String> TABLES = Map.of("shopify", "shop_stock", "amazon", "amz_stock", "ebay",
            "ebay_stock");
    private static final Duration DRAIN = Duration.ofMinutes(5);

    @Test
    void thousandConcurrentOrdersAcrossThreeChannelsLeaveEverySystemAtTheSameCorrectStock() throws Exception {
        String p = "q" + UUID.randomUUID().toString().substring(0, 8);
        int skus = 8;
        int initial = 1_000;
        List<String> items = new ArrayList<>();
        for (int i = 0; i < skus; i++) {
            items.add(p + "-" + i);
        }
        stock(items, initial);

        record Order(String id, String channel, String sku, int quantity) {
        }
        List<Order> orders = new ArrayList<>();
        Map<String, Integer> sold = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            Order order = new Order(p + "-o" + i, CHANNELS.get(i % 3), items.get(i % skus), 1 + (i / skus) % 3);
            orders.add(order);
            sold.merge(order.sku(), order.quantity(), Integer::sum);
        }
        List<Callable<Object>> posts = new ArrayList<>();
        for (int i = 0; i < orders.size(); i++) {
            Order order = orders.get(i);
            boolean redelivered = i % 10 == 0;
            posts.add(() -> {
                // the channel took the order: its own stock went down before it told anyone
                takeOff(order.channel(), order.sku(), order.quantity());
                assertThat(post(order.channel(), order.id(), order.sku(), order.quantity())).isEqualTo("accepted");
                if (redelivered) {
                    assertThat(post(order.channel(), order.id(), order.sku(), order.quantity())).isEqualTo("duplicate");
                }
                return null;
            });
        }
        InParallel.run(16, posts);

        Map<String, Integer> expected = new LinkedHashMap<>();
        items.forEach(sku -> expected.put(sku, initial - sold.get(sku)));
        await().atMost(DRAIN).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(warehouse(p)).isEqualTo(expected);
            for (String channel : CHANNELS) {
                assertThat(channel(channel, p)).as(channel).isEqualTo(expected);
            }
        });
        // each order taken off each other system once: one audit entry per order and target
        List<Map<String, Object>> applied = TestDatabase.query("SELECT event_key, target_system, count(*) AS n FROM audit_log"
                + " WHERE entity = 'stockItem' AND canonical_id LIKE ? AND action = 'updated'"
                + " GROUP BY event_key, target_system", p + "-%");
        assertThat(applied).hasSize(orders.size() * 3).allSatisfy(row -> assertThat(((Number) row.get("n")).intValue())
                .isEqualTo(1));
        assertThat(TestDatabase.query("SELECT 1 FROM inbox WHERE entity = 'stockItem' AND record_key LIKE ?"
                + " AND status <> 'done'", p + "-%")).isEmpty();
    }

    /**
     * Channels that only take a quantity to set ({@code write: master}): each order goes to the
     * warehouse alone, whose new total is then set in every channel, the order's own too. A channel
     * sells (its own stock goes down) while Syncline sets it to a total that does not count that sale
     * yet; the sale's order, applied later, sets it right: once every order is applied, all agree.
     */
    @Test
    void channelsSetToTheWarehouseTotalConvergeWhateverTheySoldMeanwhile() throws Exception {
        String p = "s" + UUID.randomUUID().toString().substring(0, 8);
        List<String> items = List.of(p + "-0", p + "-1", p + "-2");
        int initial = 500;
        stock("listedItem", items, initial);
        record Order(String id, String channel, String sku, int quantity) {
        }
        List<Order> orders = new ArrayList<>();
        Map<String, Integer> sold = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            Order order = new Order(p + "-o" + i, CHANNELS.get(i % 3), items.get(i % items.size()), 1 + i % 2);
            orders.add(order);
            sold.merge(order.sku(), order.quantity(), Integer::sum);
        }
        InParallel.run(12, orders.stream().<Callable<Object>>map(order -> () -> {
            takeOff(order.channel(), order.sku(), order.quantity());
            assertThat(deliver(order.channel(), "listed-orders", order.id(), Map.of("orderId", order.id(), "sku", order.sku(),
                    "line", Map.of("quantity", order.quantity())))).isEqualTo("accepted");
            return null;
        }).toList());

        Map<String, Integer> expected = new LinkedHashMap<>();
        items.forEach(sku -> expected.put(sku, initial - sold.get(sku)));
        await().atMost(DRAIN).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            assertThat(TestDatabase.query("SELECT 1 FROM inbox WHERE entity = 'listedItem' AND record_key LIKE ?"
                    + " AND status <> 'done'", p + "-%")).isEmpty();
            assertThat(warehouse(p)).isEqualTo(expected);
            for (String channel : CHANNELS) {
                assertThat(channel(channel, p)).as(channel).isEqualTo(expected);
            }
        });
        // each order changed the warehouse once and reached no channel itself; the warehouse pushed
        // each of its totals on, once per order
        assertThat(TestDatabase.query("SELECT event_key, target_system FROM audit_log WHERE entity = 'listedItem'"
                + " AND canonical_id LIKE ? AND action = 'updated' AND source_system <> 'warehouse'", p + "-%"))
                .hasSize(orders.size()).allSatisfy(row -> assertThat(row.get("target_system")).isEqualTo("warehouse"));
        assertThat(TestDatabase.query("SELECT 1 FROM inbox WHERE entity = 'listedItem' AND source_system = 'warehouse'"
                + " AND record_key LIKE ? AND origin = 'resync'", p + "-%")).hasSize(orders.size());
    }

    @Test
    void orderTheStockCannotCoverIsHeldAndNoSystemGoesBelowZeroUntilApproved() throws Exception {
        String p = "q" + UUID.randomUUID().toString().substring(0, 8);
        String sku = p + "-low";
        stock(List.of(sku), 3);
        // two channels each sell 2 of the 3 before either hears of the other's order
        takeOff("shopify", sku, 2);
        takeOff("ebay", sku, 2);

        post("shopify", p + "-o1", sku, 2);
        await().atMost(DRAIN).untilAsserted(() -> assertThat(status(p + "-o1")).isEqualTo("held"));
        post("ebay", p + "-o2", sku, 2);
        await().atMost(DRAIN).untilAsserted(() -> assertThat(status(p + "-o2")).isEqualTo("held"));

        // the first order reached the warehouse and amazon, and was held at ebay, which had sold its
        // stock; the second was held at the warehouse, written first, and reached no other system
        Map<String, Integer> one = Map.of(sku, 1);
        assertThat(warehouse(p)).isEqualTo(one);
        for (String channel : CHANNELS) {
            assertThat(channel(channel, p)).as(channel).isEqualTo(one);
        }
        assertThat(TestDatabase.query("SELECT target_system FROM review_item WHERE kind = 'held_by_rule' AND status = 'open'"
                + " AND source_id = ? AND strategy LIKE 'rule stock-floor%' ORDER BY target_system", sku))
                .extracting(row -> row.get("target_system")).containsExactly("ebay", "warehouse");

        // a person accepts the oversell: each change is approved where it is held, and goes on to the
        // targets its hold stopped, where it may be held again; until none is open
        await().atMost(DRAIN).untilAsserted(() -> {
            List<Map<String, Object>> open = TestDatabase.query("SELECT id FROM review_item WHERE kind = 'held_by_rule'"
                    + " AND status = 'open' AND source_id = ? ORDER BY id", sku);
            for (Map<String, Object> item : open) {
                given().auth().preemptive().basic("admin", "test-only-password").contentType(ContentType.JSON)
                        .body("{\"approve\": true}").when().post("/admin/review-items/" + item.get("id") + "/resolve").then()
                        .statusCode(200);
            }
            assertThat(status(p + "-o1")).isEqualTo("done");
            assertThat(status(p + "-o2")).isEqualTo("done");
        });
        Map<String, Integer> oversold = Map.of(sku, -1);
        await().atMost(DRAIN).untilAsserted(() -> {
            assertThat(warehouse(p)).isEqualTo(oversold);
            for (String channel : CHANNELS) {
                assertThat(channel(channel, p)).as(channel).isEqualTo(oversold);
            }
        });
    }

    @Test
    void reportedStockLevelsSyncTheirDifferenceAndAnEchoChangesNothing() throws Exception {
        String p = "q" + UUID.randomUUID().toString().substring(0, 8);
        String sku = p + "-lvl";
        stock(List.of(sku), 95);

        // the first report is the channel's starting point: nothing changes
        report("shopify", p + "-r1", sku, 95);
        awaitDone(p + "-r1");
        // shopify sold 5: its next report takes them off everywhere else
        takeOff("shopify", sku, 5);
        report("shopify", p + "-r2", sku, 90);
        awaitDone(p + "-r2");
        assertThat(warehouse(p)).isEqualTo(Map.of(sku, 90));
        // amazon sells 3 and says so by an order: shopify goes to 87, and reports it back, an echo
        takeOff("amazon", sku, 3);
        post("amazon", p + "-o1", sku, 3);
        awaitDone(p + "-o1");
        assertThat(channel("shopify", p)).isEqualTo(Map.of(sku, 87));
        report("shopify", p + "-r3", sku, 87);
        awaitDone(p + "-r3");
        assertThat(warehouse(p)).isEqualTo(Map.of(sku, 87));
        // shopify sells 7 more: only those 7 are new
        takeOff("shopify", sku, 7);
        report("shopify", p + "-r4", sku, 80);
        awaitDone(p + "-r4");

        Map<String, Integer> eighty = Map.of(sku, 80);
        assertThat(warehouse(p)).isEqualTo(eighty);
        for (String channel : CHANNELS) {
            assertThat(channel(channel, p)).as(channel).isEqualTo(eighty);
        }
        assertThat(TestDatabase.query("SELECT action FROM audit_log WHERE event_key = ?", "event:" + p + "-r3"))
                .extracting(row -> row.get("action")).containsOnly("echo");
    }

    @Test
    void totalThatDiffersFromTheWarehouseIsReportedByReconciliation() throws Exception {
        String p = "q" + UUID.randomUUID().toString().substring(0, 8);
        String sku = p + "-rec";
        stock(List.of(sku), 40);
        // a sale whose order never reached Syncline: shopify's total drifts from the warehouse's
        takeOff("shopify", sku, 3);

        int run = given().auth().preemptive().basic("admin", "test-only-password").when()
                .post("/admin/reconciliations/stock-shopify/runs").then().statusCode(200).extract().path("id");

        List<Map<String, Object>> differences = given().auth().preemptive().basic("admin", "test-only-password").when()
                .get("/admin/reconciliations/differences?run=" + run + "&bucket=mismatched").then().statusCode(200)
                .extract().path("");
        assertThat(differences).filteredOn(difference -> sku.equals(difference.get("key"))).singleElement()
                .satisfies(difference -> assertThat(String.valueOf(difference.get("fields")))
                        .contains("\"field\":\"stock\"").contains("40").contains("37"));
    }

    /** Every system holds {@code quantity} of each sku, and the ID map knows them for one record each. */
    private static void stock(List<String> skus, int quantity) throws SQLException {
        stock("stockItem", skus, quantity);
    }

    /** As {@link #stock(List, int)}, the ID map's records of {@code entity}. */
    private static void stock(String entity, List<String> skus, int quantity) throws SQLException {
        StringBuilder csv = new StringBuilder("entity,canonical_id,system,system_id\n");
        for (String sku : skus) {
            TestDatabase.update("INSERT INTO public." + MariaDbTargetResource.WAREHOUSE_STOCK + " (sku, on_hand) VALUES (?, ?)",
                    sku, quantity);
            for (String channel : CHANNELS) {
                mariaDb("INSERT INTO " + TABLES.get(channel) + " (sku, available) VALUES (?, ?)", sku, quantity);
            }
            for (String system : List.of("warehouse", "shopify", "amazon", "ebay")) {
                csv.append(entity).append(',').append(sku).append(',').append(system).append(',').append(sku).append('\n');
            }
        }
        given().auth().preemptive().basic("admin", "test-only-password").contentType("text/csv; charset=utf-8")
                .body(csv.toString().getBytes(StandardCharsets.UTF_8)).when().post("/admin/id-map/import?dryRun=false")
                .then().statusCode(200);
    }

    private static void takeOff(String channel, String sku, int quantity) throws SQLException {
        mariaDb("UPDATE " + TABLES.get(channel) + " SET available = available - ? WHERE sku = ?", quantity, sku);
    }

    private static void mariaDb(String sql, Object... parameters) throws SQLException {
        try (Connection connection = MariaDbTestDatabase.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    /** Posts an order of one line, as the channel's webhook would; the answer's status. */
    private static String post(String channel, String orderId, String sku, int quantity) {
        return deliver(channel, orderId, Map.of("orderId", orderId, "sku", sku, "line", Map.of("quantity", quantity)));
    }

    /** Posts the channel's stock level of a sku, as an inventory-level webhook would. */
    private static String report(String channel, String eventId, String sku, int available) {
        return deliver(channel, eventId, Map.of("sku", sku, "available", available));
    }

    /** The answer's status: accepted, or duplicate for a redelivery of an event id. */
    private static String deliver(String channel, String eventId, Map<String, Object> body) {
        return deliver(channel, "orders", eventId, body);
    }

    private static String deliver(String channel, String path, String eventId, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).header("X-Event-Id", eventId).body(body).when()
                .post("/webhooks/" + channel + "/" + path).then().statusCode(202).extract().path("status");
    }

    private static String status(String eventId) {
        List<Map<String, Object>> rows = TestDatabase.query("SELECT status FROM inbox WHERE event_id = ?", eventId);
        return rows.isEmpty() ? null : (String) rows.get(0).get("status");
    }

    private static void awaitDone(String eventId) {
        await().atMost(DRAIN).untilAsserted(() -> assertThat(status(eventId)).isEqualTo("done"));
    }

    private static Map<String, Integer> warehouse(String prefix) {
        Map<String, Integer> stock = new LinkedHashMap<>();
        TestDatabase.query("SELECT sku, on_hand FROM public." + MariaDbTargetResource.WAREHOUSE_STOCK + " WHERE sku LIKE ?"
                + " ORDER BY sku", prefix + "-%").forEach(
                        row -> stock.put((String) row.get("sku"),
                                ((Number) row.get("on_hand")).intValue()));
        return stock;
    }

    private static Map<String, Integer> channel(String channel, String prefix) {
        Map<String, Integer> stock = new LinkedHashMap<>();
        MariaDbTestDatabase.query("SELECT sku, available FROM " + TABLES.get(channel) + " WHERE sku LIKE ? ORDER BY sku",
                prefix + "-%").forEach(row -> stock.put((String) row.get("sku"), ((Number) row.get("available")).intValue()));
        return stock;
    }
}
