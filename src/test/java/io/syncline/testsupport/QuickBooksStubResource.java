package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * The world of the quickbooks preset: Intuit's OAuth ({@link IntuitOAuthStub}) and QuickBooks
 * Online's Accounting API ({@link QuickBooksStub}, taking the access tokens the first issued), a
 * {@link HubSpotStub} for the HubSpot-to-QuickBooks flow, the routes of
 * {@code src/test/resources/quickbooks-preset-routes} with the stubs' addresses written over theirs,
 * a first refresh token as from Intuit's OAuth Playground, the app's client id, secret and webhook
 * verifier token, a token key, and a fresh PostgreSQL database of its own ({@link #DATABASE_URL}).
 * The stubs are injected into test fields of their types.
 */
public class QuickBooksStubResource implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE_URL = TestDatabase.siblingUrl("_quickbooks_preset");
    public static final String VERIFIER_TOKEN = "qbo-webhook-verifier-token-0000";
    public static final String HUBSPOT_SECRET = "hubspot-client-secret-0000";
    private static final Path TEMPLATE = Path.of("src/test/resources/quickbooks-preset-routes");

    private IntuitOAuthStub intuit;
    private QuickBooksStub quickbooks;
    private HubSpotStub hubspot;
    private Path routes;

    @Override
    public Map<String, String> start() {
        TestDatabase.ensureDatabase(DATABASE_URL, true);
        try {
            intuit = new IntuitOAuthStub();
            quickbooks = new QuickBooksStub(intuit::isLive);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        hubspot = HubSpotStub.start().acceptBearer(HubSpotStubResource.TOKEN);
        routes = RouteFolders.copyWithAddresses(TEMPLATE, Map.of(IntuitOAuthStubResource.PLACEHOLDER, intuit.baseUrl(),
                "http://quickbooks.stub.invalid", quickbooks.baseUrl(), HubSpotStubResource.PLACEHOLDER, hubspot.baseUrl()));
        return Map.ofEntries(Map.entry("syncline.routes.location", routes.toString()),
                Map.entry("QBO_CLIENT_ID", IntuitOAuthStub.CLIENT_ID),
                Map.entry("QBO_CLIENT_SECRET", IntuitOAuthStub.CLIENT_SECRET),
                Map.entry("QBO_REFRESH_TOKEN", intuit.issueRefreshToken()),
                Map.entry("QBO_VERIFIER_TOKEN", VERIFIER_TOKEN),
                Map.entry("HUBSPOT_TOKEN", HubSpotStubResource.TOKEN),
                Map.entry("HUBSPOT_CLIENT_SECRET", HUBSPOT_SECRET),
                Map.entry("SYNCLINE_TOKEN_KEY", Base64.getEncoder().encodeToString(new byte[32])),
                Map.entry("syncline.inbox.retry-delay", "200ms"),
                Map.entry("syncline.inbox.max-retry-delay", "1s"),
                Map.entry("syncline.inbox.max-attempts", "6"),
                // one worker taking a whole backlog in one batch, so that it goes to QuickBooks in full batch requests
                Map.entry("syncline.inbox.workers", "1"),
                Map.entry("syncline.inbox.batch-size", "200"),
                Map.entry("syncline.inbox.apply-batch.max-events", "200"),
                Map.entry("quarkus.datasource.jdbc.url", DATABASE_URL),
                Map.entry("quarkus.datasource.username", TestDatabase.user()),
                Map.entry("quarkus.datasource.password", TestDatabase.password()));
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(intuit, new TestInjector.MatchesType(IntuitOAuthStub.class));
        testInjector.injectIntoFields(quickbooks, new TestInjector.MatchesType(QuickBooksStub.class));
        testInjector.injectIntoFields(hubspot, new TestInjector.MatchesType(HubSpotStub.class));
    }

    @Override
    public void stop() {
        quickbooks.close();
        intuit.close();
        hubspot.close();
        RouteFolders.delete(routes);
    }
}
