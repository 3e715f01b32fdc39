package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The world of the customer-data platforms' preset flows: a {@link KlaviyoStub} and a
 * {@link SegmentStub} (of the space {@link #SEGMENT_SPACE}), the routes of
 * {@code src/test/resources/cdp-routes} with their addresses written over the placeholders, and a
 * PostgreSQL database of its own. The stubs are injected into test fields of their types; they accept
 * the credentials the model reads from the environment ({@code KLAVIYO_PRIVATE_KEY},
 * {@code SEGMENT_ACCESS_TOKEN}), and the webhooks are signed with {@link #KLAVIYO_SECRET} and
 * {@link #SEGMENT_SECRET}. A {@link PlaidStub} serves one Item to the credentials {@link #PLAID_CLIENT_ID},
 * {@link #PLAID_SECRET} and {@link #PLAID_ACCESS_TOKEN}, its transactions polled into table
 * {@code bank_transaction}.
 */
public class CdpStubResource implements QuarkusTestResourceLifecycleManager {

    public static final String KLAVIYO_KEY = "pk_stub_0000000000000000000000000000";
    /** The secret_key of the Klaviyo webhook. */
    public static final String KLAVIYO_SECRET = "klaviyo-webhook-secret-key-0000";
    public static final String SEGMENT_TOKEN = "sgp_stub_access_token_0000";
    /** The sharedSecret of Segment's Webhooks destination. */
    public static final String SEGMENT_SECRET = "segment-shared-secret-0000";
    /** The Unify space the model's segment systems name (settings.space). */
    public static final String SEGMENT_SPACE = "spa_9XkE3oVrWbN4";
    public static final String PLAID_CLIENT_ID = "5f0c2b1e9d7a3c0012345678";
    public static final String PLAID_SECRET = "plaid-stub-secret-000000000000";
    public static final String PLAID_ACCESS_TOKEN = "access-production-5e2a8f44-0000-4b1c-9f00-000000000000";
    public static final String FOLDER = "cdp-routes";
    public static final String DATABASE_URL = TestDatabase.siblingUrl("_cdp_routes");

    private KlaviyoStub klaviyo;
    private SegmentStub segment;
    private PlaidStub plaid;
    private Path routes;

    @Override
    public Map<String, String> start() {
        TestDatabase.ensureDatabase(DATABASE_URL, true);
        klaviyo = KlaviyoStub.start(KLAVIYO_KEY);
        segment = SegmentStub.start(SEGMENT_TOKEN, SEGMENT_SPACE);
        plaid = PlaidStub.start(PLAID_CLIENT_ID, PLAID_SECRET, PLAID_ACCESS_TOKEN);
        try (Connection connection = TestDatabase.connect(DATABASE_URL); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS bank_transaction (external_id VARCHAR(64) PRIMARY KEY,"
                    + " account_id VARCHAR(64), name VARCHAR(200), amount NUMERIC(14, 2), posted_on VARCHAR(10))");
            statement.execute("CREATE TABLE IF NOT EXISTS bank_account (external_id VARCHAR(64) PRIMARY KEY, name VARCHAR(200))");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        routes = RouteFolders.copyWithAddresses(Path.of("src/test/resources", FOLDER),
                Map.of("http://klaviyo.stub.invalid", klaviyo.baseUrl(), "http://segment.stub.invalid", segment.baseUrl(),
                        "http://plaid.stub.invalid", plaid.baseUrl()));
        return Map.ofEntries(Map.entry("syncline.routes.location", routes.toString()),
                Map.entry("KLAVIYO_PRIVATE_KEY", KLAVIYO_KEY), Map.entry("KLAVIYO_WEBHOOK_SECRET", KLAVIYO_SECRET),
                Map.entry("SEGMENT_ACCESS_TOKEN", SEGMENT_TOKEN), Map.entry("SEGMENT_SHARED_SECRET", SEGMENT_SECRET),
                Map.entry("PLAID_CLIENT_ID", PLAID_CLIENT_ID), Map.entry("PLAID_SECRET", PLAID_SECRET),
                Map.entry("PLAID_ACCESS_TOKEN", PLAID_ACCESS_TOKEN),
                Map.entry("quarkus.datasource.jdbc.url", DATABASE_URL),
                Map.entry("quarkus.datasource.username", TestDatabase.user()),
                Map.entry("quarkus.datasource.password", TestDatabase.password()));
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(klaviyo, new TestInjector.MatchesType(KlaviyoStub.class));
        testInjector.injectIntoFields(segment, new TestInjector.MatchesType(SegmentStub.class));
        testInjector.injectIntoFields(plaid, new TestInjector.MatchesType(PlaidStub.class));
    }

    @Override
    public void stop() {
        klaviyo.close();
        segment.close();
        plaid.close();
        RouteFolders.delete(routes);
    }
}
