package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.Map;

/**
 * The world of the Stripe preset's flows: a {@link StripeStub} and a {@link HubSpotStub} (for
 * HubSpot contacts flowing into Stripe), the routes of {@code src/test/resources/stripe-preset-routes}
 * with the stubs' addresses written over {@value #PLACEHOLDER} and {@value #HUBSPOT_PLACEHOLDER}, and
 * a fresh PostgreSQL database of its own. The stubs are injected into test fields of their types; the
 * Stripe stub accepts the secret key {@value #SECRET_KEY} that the model reads from {@code STRIPE_SECRET_KEY}.
 */
public class StripeStubResource implements QuarkusTestResourceLifecycleManager {

    public static final String SECRET_KEY = "rk_test_51SynclineRestrictedKey0000";
    public static final String FOLDER = "stripe-preset-routes";
    public static final String DATABASE_URL = TestDatabase.siblingUrl("_" + FOLDER.replace('-', '_'));
    static final String PLACEHOLDER = "http://stripe.stub.invalid";
    static final String HUBSPOT_PLACEHOLDER = "http://hubspot.stub.invalid";

    private StripeStub stripe;
    private HubSpotStub hubspot;
    private Path withStripe;
    private Path routes;

    @Override
    public Map<String, String> start() {
        TestDatabase.ensureDatabase(DATABASE_URL, true);
        stripe = StripeStub.start(SECRET_KEY);
        hubspot = HubSpotStub.start().acceptBearer(HubSpotStubResource.TOKEN);
        withStripe = RouteFolders.copyWithAddress(Path.of("src/test/resources", FOLDER), PLACEHOLDER, stripe.baseUrl());
        routes = RouteFolders.copyWithAddress(withStripe, HUBSPOT_PLACEHOLDER, hubspot.baseUrl());
        return Map.of("syncline.routes.location", routes.toString(), "STRIPE_SECRET_KEY", SECRET_KEY,
                "HUBSPOT_TOKEN", HubSpotStubResource.TOKEN,
                "quarkus.datasource.jdbc.url", DATABASE_URL,
                "quarkus.datasource.username", TestDatabase.user(),
                "quarkus.datasource.password", TestDatabase.password());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(stripe, new TestInjector.MatchesType(StripeStub.class));
        testInjector.injectIntoFields(hubspot, new TestInjector.MatchesType(HubSpotStub.class));
    }

    @Override
    public void stop() {
        stripe.close();
        hubspot.close();
        RouteFolders.delete(withStripe);
        RouteFolders.delete(routes);
    }
}
