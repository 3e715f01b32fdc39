package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The world of the Shopify, Zendesk, Intercom, Asana, Amazon and eBay preset flows: a {@link ZendeskStub}, a
 * {@link ShopifyStub}, an {@link IntercomStub}, an {@link AsanaStub} (with the project
 * {@link #ASANA_PROJECT}), an {@link AmazonSpStub} (the seller {@link #AMAZON_SELLER} in
 * {@link #AMAZON_MARKETPLACE}) and an {@link EbayStub}, the routes of {@code src/test/resources/shopify-zendesk-routes} with their
 * addresses written over the placeholders, and a PostgreSQL database of its own with the warehouse's
 * tables ({@code market_stock}, {@code market_order}, {@code ebay_stock}, {@code ebay_order}). The stubs are
 * injected into test fields of their types; they accept the credentials the model reads from the
 * environment ({@code ZENDESK_USER} and {@code ZENDESK_API_TOKEN}, {@code SHOPIFY_ACCESS_TOKEN},
 * {@code INTERCOM_ACCESS_TOKEN}, {@code ASANA_ACCESS_TOKEN}, {@code AMAZON_LWA_CLIENT_ID},
 * {@code AMAZON_LWA_CLIENT_SECRET} and {@code AMAZON_REFRESH_TOKEN}, {@code EBAY_CLIENT_ID}, {@code EBAY_CLIENT_SECRET}
 * and {@code EBAY_REFRESH_TOKEN}), and the webhooks are signed with {@link #ZENDESK_SECRET}, {@link #SHOPIFY_SECRET},
 * {@link #INTERCOM_SECRET} (Asana's comes in its webhook's handshake, sealed with {@link #TOKEN_KEY}).
 */
public class SupportDeskStubResource implements QuarkusTestResourceLifecycleManager {

    public static final String ZENDESK_EMAIL = "sync@example.com";
    public static final String ZENDESK_TOKEN = "zd-api-token-0000";
    public static final String ZENDESK_SECRET = "zendesk-webhook-signing-secret";
    public static final String SHOPIFY_TOKEN = "shpat_stub_0000";
    public static final String SHOPIFY_SECRET = "shopify-client-secret-0000";
    public static final String INTERCOM_TOKEN = "dG9rOmludGVyY29tLXN0dWI=";
    public static final String INTERCOM_SECRET = "intercom-client-secret-0000";
    public static final String ASANA_TOKEN = "2/1204000000000007/1204000000000999:stubtoken0000";
    /** The X-Hook-Secret of the Asana webhook's handshake. */
    /** The project the model's asana system names (settings.project). */
    /** The key the secrets kept in the state store are sealed with (Asana's webhook secret). */
    public static final String TOKEN_KEY = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    public static final String ASANA_PROJECT = "1204000000000002";
    public static final String AMAZON_CLIENT_ID = "amzn1.application-oa2-client.stub0000";
    public static final String AMAZON_CLIENT_SECRET = "amzn1.oa2-cs.v1.stub-client-secret-0000";
    public static final String AMAZON_REFRESH_TOKEN = "Atzr|stub-refresh-token-0000";
    /** The seller and marketplace the model's amazon system names (settings.sellerId, settings.marketplaceId). */
    public static final String AMAZON_SELLER = "A3STUBSELLER01";
    public static final String AMAZON_MARKETPLACE = "ATVPDKIKX0DER";
    public static final String EBAY_CLIENT_ID = "SyncStub-Syncline-PRD-0a1b2c3d4-5e6f7a8b";
    public static final String EBAY_CLIENT_SECRET = "PRD-a1b2c3d4e5f6-0000-stub-secret";
    public static final String EBAY_REFRESH_TOKEN = "v^1.1#i^1#r^1#stub-refresh-token-0000";
    public static final String FOLDER = "shopify-zendesk-routes";
    public static final String DATABASE_URL = TestDatabase.siblingUrl("_shopify_zendesk_routes");

    private ZendeskStub zendesk;
    private ShopifyStub shopify;
    private IntercomStub intercom;
    private AsanaStub asana;
    private AmazonSpStub amazon;
    private EbayStub ebay;
    private Path routes;

    /** A signature as both providers write theirs: base64 HMAC-SHA256 of {@code text} with {@code secret}. */
    public static String sign(String secret, String text) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        return java.util.Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Override
    public Map<String, String> start() {
        TestDatabase.ensureDatabase(DATABASE_URL, true);
        try (Connection connection = TestDatabase.connect(DATABASE_URL); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS market_stock (sku VARCHAR(64) PRIMARY KEY, quantity INTEGER)");
            statement.execute("CREATE TABLE IF NOT EXISTS market_order (order_id VARCHAR(64) PRIMARY KEY, status VARCHAR(40),"
                    + " total NUMERIC(12, 2), updated_at TIMESTAMP WITH TIME ZONE)");
            statement.execute("CREATE TABLE IF NOT EXISTS ebay_stock (sku VARCHAR(64) PRIMARY KEY, quantity INTEGER)");
            statement.execute("CREATE TABLE IF NOT EXISTS shop_stock (sku VARCHAR(64) PRIMARY KEY, on_hand INTEGER NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS amazon_stock (sku VARCHAR(64) PRIMARY KEY, on_hand INTEGER NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS ebay_on_hand (sku VARCHAR(64) PRIMARY KEY, on_hand INTEGER NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS ebay_order (order_id VARCHAR(64) PRIMARY KEY, status VARCHAR(40),"
                    + " total NUMERIC(12, 2), updated_at TIMESTAMP WITH TIME ZONE)");
        } catch (SQLException e) {
            throw new IllegalStateException("the warehouse's tables could not be made: " + e.getMessage(), e);
        }
        zendesk = ZendeskStub.start(ZENDESK_EMAIL, ZENDESK_TOKEN);
        shopify = ShopifyStub.start(SHOPIFY_TOKEN);
        intercom = IntercomStub.start(INTERCOM_TOKEN);
        asana = AsanaStub.start(ASANA_TOKEN);
        asana.addProject(ASANA_PROJECT, "Follow-ups");
        amazon = AmazonSpStub.start(AMAZON_CLIENT_ID, AMAZON_CLIENT_SECRET, AMAZON_REFRESH_TOKEN, AMAZON_SELLER, AMAZON_MARKETPLACE);
        ebay = EbayStub.start(EBAY_CLIENT_ID, EBAY_CLIENT_SECRET, EBAY_REFRESH_TOKEN);
        routes = RouteFolders.copyWithAddresses(Path.of("src/test/resources", FOLDER), Map.of(
                "http://zendesk.stub.invalid", zendesk.baseUrl(), "http://shopify.stub.invalid", shopify.baseUrl(),
                "http://intercom.stub.invalid", intercom.baseUrl(), "http://asana.stub.invalid", asana.baseUrl(),
                "http://amazon.stub.invalid", amazon.baseUrl(), "http://ebay.stub.invalid", ebay.baseUrl()));
        return Map.ofEntries(Map.entry("syncline.routes.location", routes.toString()),
                Map.entry("ZENDESK_USER", ZENDESK_EMAIL + "/token"), Map.entry("ZENDESK_API_TOKEN", ZENDESK_TOKEN),
                Map.entry("ZENDESK_WEBHOOK_SECRET", ZENDESK_SECRET),
                Map.entry("SHOPIFY_ACCESS_TOKEN", SHOPIFY_TOKEN), Map.entry("SHOPIFY_CLIENT_SECRET", SHOPIFY_SECRET),
                Map.entry("INTERCOM_ACCESS_TOKEN", INTERCOM_TOKEN), Map.entry("INTERCOM_CLIENT_SECRET", INTERCOM_SECRET),
                Map.entry("ASANA_ACCESS_TOKEN", ASANA_TOKEN), Map.entry("SYNCLINE_TOKEN_KEY", TOKEN_KEY),
                Map.entry("AMAZON_LWA_CLIENT_ID", AMAZON_CLIENT_ID), Map.entry("AMAZON_LWA_CLIENT_SECRET", AMAZON_CLIENT_SECRET),
                Map.entry("AMAZON_REFRESH_TOKEN", AMAZON_REFRESH_TOKEN),
                Map.entry("EBAY_CLIENT_ID", EBAY_CLIENT_ID), Map.entry("EBAY_CLIENT_SECRET", EBAY_CLIENT_SECRET),
                Map.entry("EBAY_REFRESH_TOKEN", EBAY_REFRESH_TOKEN),
                // one worker taking a whole backlog in one batch, so that it goes to Zendesk in full batch calls
                Map.entry("syncline.inbox.workers", "1"),
                Map.entry("syncline.inbox.batch-size", "200"),
                Map.entry("syncline.inbox.apply-batch.max-events", "200"),
                Map.entry("quarkus.datasource.jdbc.url", DATABASE_URL),
                Map.entry("quarkus.datasource.username", TestDatabase.user()),
                Map.entry("quarkus.datasource.password", TestDatabase.password()));
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(zendesk, new TestInjector.MatchesType(ZendeskStub.class));
        testInjector.injectIntoFields(shopify, new TestInjector.MatchesType(ShopifyStub.class));
        testInjector.injectIntoFields(intercom, new TestInjector.MatchesType(IntercomStub.class));
        testInjector.injectIntoFields(asana, new TestInjector.MatchesType(AsanaStub.class));
        testInjector.injectIntoFields(amazon, new TestInjector.MatchesType(AmazonSpStub.class));
        testInjector.injectIntoFields(ebay, new TestInjector.MatchesType(EbayStub.class));
    }

    @Override
    public void stop() {
        zendesk.close();
        shopify.close();
        intercom.close();
        asana.close();
        amazon.close();
        ebay.close();
        RouteFolders.delete(routes);
    }
}
