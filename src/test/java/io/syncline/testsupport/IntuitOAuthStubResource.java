package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * The world of the QuickBooks consent flow: the {@link IntuitOAuthStub}, the routes of
 * {@code src/test/resources/quickbooks-routes} with the stub's address written over
 * {@value #PLACEHOLDER}, the client's id and secret, a token key, and a fresh PostgreSQL database of
 * its own. The stub is injected into test fields of type {@link IntuitOAuthStub}.
 */
public class IntuitOAuthStubResource implements QuarkusTestResourceLifecycleManager {

    static final String PLACEHOLDER = "http://intuit.stub.invalid";
    private static final Path TEMPLATE = Path.of("src/test/resources/quickbooks-routes");
    public static final String DATABASE_URL = TestDatabase.siblingUrl("_quickbooks");

    private IntuitOAuthStub stub;
    private Path routes;

    @Override
    public Map<String, String> start() {
        TestDatabase.ensureDatabase(DATABASE_URL, true);
        try {
            stub = new IntuitOAuthStub();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        routes = RouteFolders.copyWithAddress(TEMPLATE, PLACEHOLDER, stub.baseUrl());
        return Map.ofEntries(Map.entry("syncline.routes.location", routes.toString()),
                Map.entry("QBO_CLIENT_ID", IntuitOAuthStub.CLIENT_ID),
                Map.entry("QBO_CLIENT_SECRET", IntuitOAuthStub.CLIENT_SECRET),
                Map.entry("QBO_REALM_ID", IntuitOAuthStub.REALM_ID),
                Map.entry("SYNCLINE_TOKEN_KEY", Base64.getEncoder().encodeToString(new byte[32])),
                Map.entry("syncline.inbox.retry-delay", "200ms"),
                Map.entry("syncline.inbox.max-retry-delay", "1s"),
                Map.entry("syncline.inbox.max-attempts", "100"),
                Map.entry("quarkus.datasource.jdbc.url", DATABASE_URL),
                Map.entry("quarkus.datasource.username", TestDatabase.user()),
                Map.entry("quarkus.datasource.password", TestDatabase.password()));
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(stub, new TestInjector.MatchesType(IntuitOAuthStub.class));
    }

    @Override
    public void stop() {
        stub.close();
        RouteFolders.delete(routes);
    }
}
