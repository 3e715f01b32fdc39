package io.syncline.connector.shopify;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.PullRequest;
import io.syncline.connector.spi.PullResult;
import io.syncline.testsupport.FastRetriesProfile;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.ShopifyStub;
import io.syncline.testsupport.SupportDeskStubResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shopify's customers through {@code type: shopify}, a preset the REST code serves as its data
 * says and whose plug-in adds the customer search, against a stub of the Admin REST API written from its
 * reference (Shopify publishes no OpenAPI description of it, only a GraphQL schema): its signed
 * webhooks taken when valid, refused when tampered with, and a redelivery of one webhook id stored
 * once; customers pulled to the end, 250 a page through the Link header, waiting out a 429's
 * {@code Retry-After: 2.0}; a customer fetched out of its {@code {"customer": {…}}} envelope; as a
 * target, a customer the shop has found by the plug-in's customer search and linked, not created
 * twice, and a new one created in its envelope.
 */
@QuarkusTest
@TestProfile(FastRetriesProfile.class)
@WithTestResource(SupportDeskStubResource.class)
class ShopifyPresetTest {

    ShopifyStub shopify;

    @Inject
    SystemTypes types;

    @Inject
    SyncModelRegistry registry;

    @AfterEach
    void everyRequestCarriesTheAccessToken() {
        assertThat(shopify.received()).allSatisfy(request -> {
            assertThat(request.header("X-Shopify-Access-Token")).isEqualTo(SupportDeskStubResource.SHOPIFY_TOKEN);
            assertThat(request.path()).matches(java.util.regex.Pattern.quote(ShopifyStub.API)
                    + "/(customers|webhooks|variants|inventory_levels)[/.].*");
        });
    }

    /**
     * The check before the first event finds the webhook path among the app's subscriptions: missing
     * the update topic, it is named with its fix; subscribed to both, it passes.
     */
    @Test
    void theCheckFindsTheWebhookPathAmongTheAppsSubscriptions() {
        String check = "webhook /webhooks/shopify/customers";
        java.util.function.Supplier<io.syncline.connector.spi.SystemCheck> step = () -> types.of("shopify")
                .check("shopify", registry.current().model(), java.time.Duration.ofSeconds(20)).stream()
                .filter(each -> each.check().equals(check)).findFirst().orElseThrow();
        String address = "https://syncline.example.com/webhooks/shopify/customers";
        long created = shopify.subscribe("customers/create", address);
        long elsewhere = shopify.subscribe("customers/update", "https://old.example.com/hooks/customers");
        try {
            io.syncline.connector.spi.SystemCheck missing = step.get();
            assertThat(missing.failed()).isTrue();
            assertThat(missing.detail()).isEqualTo("the app is not subscribed to customers/update at /webhooks/shopify/customers:"
                    + " customer's changes would not reach Syncline");
            assertThat(missing.fix()).isEqualTo("subscribe the app to customers/update with the address"
                    + " https://<this deployment>/webhooks/shopify/customers (POST /webhooks.json, format json)");

            long updated = shopify.subscribe("customers/update", address);
            assertThat(step.get().detail()).isEqualTo("the app is subscribed to customers/create, customers/update at"
                    + " /webhooks/shopify/customers");
            shopify.unsubscribe(updated);
        } finally {
            shopify.unsubscribe(created);
            shopify.unsubscribe(elsewhere);
        }
    }

    private static Response webhook(String body, String signature, String webhookId) {
        return given().contentType(ContentType.JSON).header("X-Shopify-Hmac-Sha256", signature)
                .header("X-Shopify-Topic", "customers/update").header("X-Shopify-Webhook-Id", webhookId)
                .header("X-Shopify-Triggered-At", "2025-01-08T10:12:07.672717030Z")
                .body(body).when().post("/webhooks/shopify/customers");
    }

    @Test
    void signedWebhooksAreTakenOnceByTheirIdAndTamperedOnesRefused() throws Exception {
        long id = 8_000_000_000_000L + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L);
        String body = "{\"id\":" + id + ",\"email\":\"signed-" + id + "@example.com\",\"first_name\":\"Ada\",\"last_name\":\"King\"}";
        String signature = SupportDeskStubResource.sign(SupportDeskStubResource.SHOPIFY_SECRET, body);
        String webhookId = UUID.randomUUID().toString();

        assertThat(webhook(body.replace("King", "Mallory"), signature, webhookId).statusCode()).isEqualTo(401);
        assertThat(webhook(body, SupportDeskStubResource.sign("not-the-client-secret", body), webhookId).statusCode()).isEqualTo(401);
        Response taken = webhook(body, signature, webhookId);
        Response again = webhook(body, signature, webhookId);

        assertThat(taken.statusCode()).isEqualTo(202);
        assertThat(taken.jsonPath().getInt("accepted")).isEqualTo(1);
        assertThat(again.jsonPath().getInt("duplicates")).as("a redelivery of the same X-Shopify-Webhook-Id").isEqualTo(1);
    }

    /**
     * Stock (src/test/resources/shopify-zendesk-routes/shopify-stock.syncline.yaml): each line of a signed
     * {@code orders/create} webhook is taken off the warehouse, once however often Shopify delivers it, and
     * the warehouse's new total is set as the variant's stock at the shop's location by
     * {@code inventory_levels/set.json}, the variant's inventory item read once; a level is fetched as the
     * mapping reads it.
     */
    @Test
    void orderLinesTakeStockOffTheWarehouseWhoseTotalIsSetInTheShop() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        long location = 655_441_491L;
        String boots = "BOOT-" + run;
        String socks = "SOCK-" + run;
        long bootVariant = shopify.variant(boots, location, 10);
        long sockVariant = shopify.variant(socks, location, 5);
        String csv = "entity,canonical_id,system,system_id\n";
        for (Map.Entry<String, Long> sku : Map.of(boots, bootVariant, socks, sockVariant).entrySet()) {
            TestDatabase.updateOn(SupportDeskStubResource.DATABASE_URL, "INSERT INTO shop_stock (sku, on_hand) VALUES (?, ?)",
                    sku.getKey(), sku.getKey().equals(boots) ? 10 : 5);
            csv += "shopStock," + sku.getKey() + ",billing," + sku.getKey() + "\n" + "shopStock," + sku.getKey() + ",shopstore,"
                    + sku.getValue() + "\n";
        }
        given().auth().preemptive().basic("admin", "test-only-password").contentType("text/csv; charset=utf-8").body(csv)
                .when().post("/admin/id-map/import?dryRun=false").then().statusCode(200);
        int before = shopify.received().size();

        // the shop sold 2 boots and 1 pair of socks: its stock went down at checkout, then it told us
        shopify.sell(bootVariant, location, 2);
        shopify.sell(sockVariant, location, 1);
        String order = shopify.order(5_000_000_000L + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000L),
                new java.util.LinkedHashMap<>(Map.of(bootVariant, 2, sockVariant, 1)));
        String signature = SupportDeskStubResource.sign(SupportDeskStubResource.SHOPIFY_SECRET, order);
        String webhookId = UUID.randomUUID().toString();
        java.util.function.Supplier<Response> deliver = () -> given().contentType(ContentType.JSON)
                .header("X-Shopify-Hmac-Sha256", signature).header("X-Shopify-Topic", "orders/create")
                .header("X-Shopify-Webhook-Id", webhookId).body(order).when().post("/webhooks/shopify/orders");
        Response taken = deliver.get();
        assertThat(taken.statusCode()).isEqualTo(202);
        assertThat(taken.jsonPath().getInt("accepted")).as("one event a line").isEqualTo(2);
        assertThat(deliver.get().jsonPath().getInt("duplicates")).as("Shopify's redelivery").isEqualTo(2);
        assertThat(given().contentType(ContentType.JSON).header("X-Shopify-Hmac-Sha256", signature)
                .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString()).body(order.replace("\"quantity\":2", "\"quantity\":20"))
                .when().post("/webhooks/shopify/orders").statusCode()).as("a tampered order").isEqualTo(401);

        await().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(TestDatabase.queryOn(SupportDeskStubResource.DATABASE_URL, "SELECT sku, on_hand FROM shop_stock WHERE sku IN"
                    + " (?, ?) ORDER BY sku", boots, socks)).extracting(row -> ((Number) row.get("on_hand")).intValue())
                    .containsExactly(8, 4);
            assertThat(TestDatabase.queryOn(SupportDeskStubResource.DATABASE_URL, "SELECT 1 FROM inbox WHERE entity = 'shopStock'"
                    + " AND record_key IN (?, ?, ?, ?) AND status <> 'done'", boots, socks, Long.toString(bootVariant),
                    Long.toString(sockVariant))).isEmpty();
            assertThat(shopify.available(bootVariant, location)).isEqualTo(8L);
            assertThat(shopify.available(sockVariant, location)).isEqualTo(4L);
        });
        List<HubSpotStub.Received> calls = shopify.received().subList(before, shopify.received().size());
        assertThat(calls).filteredOn(call -> call.path().equals(ShopifyStub.SET_LEVEL)).hasSize(2).allSatisfy(call -> {
            Map<String, Object> body = new com.fasterxml.jackson.databind.ObjectMapper().readValue(call.body(),
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {
                    });
            assertThat(body).containsOnlyKeys("location_id", "inventory_item_id", "available");
            assertThat(((Number) body.get("location_id")).longValue()).isEqualTo(location);
        });
        // each variant's inventory item read once, and kept
        assertThat(calls).filteredOn(call -> call.path().startsWith(ShopifyStub.API + "/variants/")).hasSize(2);

        assertThat(types.of("shopstore").fetch("shopStock", "shopstore", Long.toString(bootVariant)))
                .hasValueSatisfying(level -> {
                    assertThat(level).containsEntry("sku", boots);
                    assertThat(((Number) level.get("available")).intValue()).isEqualTo(8);
                });
    }

    @Test
    void aPullReadsEveryPageThroughTheLinkHeader250APageWaitingOutA429() throws Exception {
        String run = "pull-" + UUID.randomUUID().toString().substring(0, 8);
        IntStream.range(0, 600).forEach(i -> shopify.add(Map.of("email", run + "-" + i + "@example.com", "last_name", "Paged")));
        int before = shopify.received().size();
        shopify.rateLimitNext(1);
        var model = registry.current().model();
        List<Map<String, Object>> records = new ArrayList<>();

        PullResult result = types.of("shopify").puller().pull(new PullRequest("customer", "shopify", model.systems().get("shopify"),
                model.entities().get("customer").mappings().get("shopify"), 500), records::addAll);

        assertThat(result.reachedEnd()).isTrue();
        assertThat(records.stream().filter(record -> String.valueOf(record.get("email")).startsWith(run))).hasSize(600);
        List<HubSpotStub.Received> calls = shopify.received();
        List<HubSpotStub.Received> pages = calls.subList(before, calls.size()).stream()
                .filter(call -> !call.method().equals("PUT")).toList(); // a write of another test may land meanwhile
        assertThat(pages).allSatisfy(page -> {
            assertThat(page.method() + " " + page.path()).isEqualTo("GET " + ShopifyStub.CUSTOMERS);
            assertThat(page.query()).contains("limit=250");
        });
        // the first page twice (answered 429, then again), then one request a page
        assertThat(pages).hasSize(1 + (int) Math.ceil(records.size() / 250.0));
        assertThat(pages.subList(2, pages.size())).allSatisfy(page -> assertThat(page.query()).contains("page_info="));
    }

    @Test
    void aCustomerIsFetchedOutOfItsEnvelope() throws Exception {
        long id = shopify.add(Map.of("email", "fetched@example.com", "first_name", "Grace", "last_name", "Hopper"));

        assertThat(types.of("shopify").fetch("customer", "shopify", Long.toString(id)))
                .hasValueSatisfying(customer -> assertThat(customer).containsEntry("email", "fetched@example.com").containsEntry("first_name", "Grace"));
        assertThat(types.of("shopify").fetch("customer", "shopify", "1")).isEmpty();
    }

    /** A billing shopper as its webhook posts it; its inbox id. */
    private static long shopper(String id, String email, String first, String last) {
        Integer inboxId = given().contentType(ContentType.JSON).body(Map.of("external_id", id, "email", email, "first_name", first,
                "last_name", last)).when().post("/webhooks/billing/shoppers").then().statusCode(202)
                .extract().path("inboxId");
        return inboxId.longValue();
    }

    private static String finalStatus(long inboxId) {
        return TestDatabase.awaitSettledOn(SupportDeskStubResource.DATABASE_URL, inboxId);
    }

    private static String shopifyId(String shopperId) {
        return (String) TestDatabase.awaitRowsOn(SupportDeskStubResource.DATABASE_URL, "SELECT system_id FROM id_map"
                + " WHERE entity = 'shopper' AND system = 'shopify' AND canonical_id = (SELECT canonical_id FROM id_map"
                + " WHERE entity = 'shopper' AND system = 'billing' AND system_id = ?)", shopperId).get(0).get("system_id");
    }

    private static String auditLine(long inboxId) {
        return (String) TestDatabase.queryOn(SupportDeskStubResource.DATABASE_URL, "SELECT action || ': ' || coalesce(detail, '')"
                + " AS line FROM audit_log WHERE inbox_id = ? AND target_system = 'shopify' ORDER BY id", inboxId).get(0).get("line");
    }

    @Test
    void aCustomerTheShopHasIsFoundByItsSearchAndLinkedNotCreatedTwice() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "known-" + run + "@example.com";
        long existing = shopify.add(Map.of("email", email, "first_name", "Grace", "last_name", "Hopper"));
        int creates = shopify.received().stream().filter(call -> call.method().equals("POST")).toList().size();

        long inboxId = shopper("s-" + run, email.toUpperCase(), "Grace", "Brewster");
        assertThat(finalStatus(inboxId)).isEqualTo("done");

        assertThat(shopifyId("s-" + run)).isEqualTo(Long.toString(existing));
        assertThat(shopify.withEmail(email)).containsExactly(existing);
        assertThat(shopify.received().stream().filter(call -> call.method().equals("POST"))).hasSize(creates);
        assertThat(shopify.received().stream().filter(call -> call.path().equals(ShopifyStub.SEARCH))).last()
                .satisfies(search -> assertThat(search.query()).isEqualTo("query=email%3A" + email.replace("@", "%40")));
        assertThat(auditLine(inboxId)).contains("matched by email (0.95)");
        assertThat(shopify.customer(existing)).containsEntry("last_name", "Brewster");
    }

    @Test
    void aNewCustomerIsCreatedInItsEnvelope() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String email = "new-" + run + "@example.com";

        long inboxId = shopper("s-" + run, email, "Ada", "Lovelace");
        assertThat(finalStatus(inboxId)).isEqualTo("done");

        long id = Long.parseLong(shopifyId("s-" + run));
        assertThat(shopify.customer(id)).containsEntry("email", email).containsEntry("first_name", "Ada")
                .containsEntry("last_name", "Lovelace");
        assertThat(shopify.received().stream().filter(call -> call.method().equals("POST")
                && call.body().contains(email))).singleElement().satisfies(create -> {
                    assertThat(create.path()).isEqualTo(ShopifyStub.CUSTOMERS);
                    assertThat(create.json()).isEqualTo(Map.of("customer", Map.of("email", email, "first_name", "Ada",
                            "last_name", "Lovelace")));
                });
        assertThat(auditLine(inboxId)).startsWith("created");
    }
}
