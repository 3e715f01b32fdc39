package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.Map;

/**
 * The world of the customer-data platforms' preset flows: a {@link KlaviyoStub}, the routes of
 * {@code src/test/resources/cdp-routes} with its address written over the placeholder, and a
 * PostgreSQL database of its own. The stub is injected into test fields of its type; it accepts the
 * private key the model reads from the environment ({@code KLAVIYO_PRIVATE_KEY}), and the webhooks are
 * signed with {@link #KLAVIYO_SECRET}.
 */
public class CdpStubResource implements QuarkusTestResourceLifecycleManager {

    public static final String KLAVIYO_KEY = "pk_stub_0000000000000000000000000000";
    /** The secret_key of the Klaviyo webhook. */
    public static final String KLAVIYO_SECRET = "klaviyo-webhook-secret-key-0000";
    public static final String FOLDER = "cdp-routes";
    public static final String DATABASE_URL = TestDatabase.siblingUrl("_cdp_routes");

    private KlaviyoStub klaviyo;
    private Path routes;

    @Override
    public Map<String, String> start() {
        TestDatabase.ensureDatabase(DATABASE_URL, true);
        klaviyo = KlaviyoStub.start(KLAVIYO_KEY);
        routes = RouteFolders.copyWithAddresses(Path.of("src/test/resources", FOLDER),
                Map.of("http://klaviyo.stub.invalid", klaviyo.baseUrl()));
        return Map.ofEntries(Map.entry("syncline.routes.location", routes.toString()),
                Map.entry("KLAVIYO_PRIVATE_KEY", KLAVIYO_KEY), Map.entry("KLAVIYO_WEBHOOK_SECRET", KLAVIYO_SECRET),
                Map.entry("quarkus.datasource.jdbc.url", DATABASE_URL),
                Map.entry("quarkus.datasource.username", TestDatabase.user()),
                Map.entry("quarkus.datasource.password", TestDatabase.password()));
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(klaviyo, new TestInjector.MatchesType(KlaviyoStub.class));
    }

    @Override
    public void stop() {
        klaviyo.close();
        RouteFolders.delete(routes);
    }
}
