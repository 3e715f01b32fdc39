package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * The world of the Xero connector: a {@link XeroStub} organisation, the routes of
 * {@code src/test/resources/xero-routes} with the stub's address written over {@value #PLACEHOLDER},
 * the app's client id and secret, a first refresh token as after the organisation's consent, the
 * tenant id, the webhook key, a token key, one inbox worker applying up to 200 events a batch, and a
 * fresh PostgreSQL database of its own. The stub is
 * injected into test fields of type {@link XeroStub}.
 */
public class XeroStubResource implements QuarkusTestResourceLifecycleManager {

    static final String PLACEHOLDER = "http://xero.stub.invalid";
    public static final String WEBHOOK_KEY = "xero-webhook-key-0000";
    public static final String DATABASE_URL = TestDatabase.siblingUrl("_xero");

    private XeroStub stub;
    private Path routes;

    @Override
    public Map<String, String> start() {
        TestDatabase.ensureDatabase(DATABASE_URL, true);
        try {
            stub = new XeroStub();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        routes = RouteFolders.copyWithAddress(Path.of("src/test/resources/xero-routes"), PLACEHOLDER, stub.baseUrl());
        return Map.ofEntries(Map.entry("syncline.routes.location", routes.toString()),
                Map.entry("XERO_CLIENT_ID", XeroStub.CLIENT_ID),
                Map.entry("XERO_CLIENT_SECRET", XeroStub.CLIENT_SECRET),
                Map.entry("XERO_REFRESH_TOKEN", stub.issueRefreshToken()),
                Map.entry("XERO_TENANT_ID", XeroStub.TENANT_ID),
                Map.entry("XERO_WEBHOOK_KEY", WEBHOOK_KEY),
                Map.entry("SYNCLINE_TOKEN_KEY", Base64.getEncoder().encodeToString(new byte[32])),
                Map.entry("syncline.inbox.retry-delay", "200ms"),
                Map.entry("syncline.inbox.max-retry-delay", "2s"),
                Map.entry("syncline.inbox.max-attempts", "6"),
                // one worker taking a whole poll's page in one batch, so that it goes to Xero in full batch calls
                Map.entry("syncline.inbox.workers", "1"),
                Map.entry("syncline.inbox.batch-size", "200"),
                Map.entry("syncline.inbox.apply-batch.max-events", "200"),
                Map.entry("quarkus.datasource.jdbc.url", DATABASE_URL),
                Map.entry("quarkus.datasource.username", TestDatabase.user()),
                Map.entry("quarkus.datasource.password", TestDatabase.password()));
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(stub, new TestInjector.MatchesType(XeroStub.class));
    }

    @Override
    public void stop() {
        stub.close();
        RouteFolders.delete(routes);
    }
}
