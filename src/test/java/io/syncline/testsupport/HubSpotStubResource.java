package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.Map;

/**
 * The world of the HTTP target flows: the {@link HubSpotStub}, a routes folder that targets it
 * (the files of {@code src/test/resources/http-routes} with the stub's address written over
 * {@value #PLACEHOLDER}),
 * and a fresh PostgreSQL database of its own ({@link #DATABASE_URL}): an application with other
 * routes must not share its inbox, or each would claim events it has no apply route for.
 * The stub is injected into test fields of type {@link HubSpotStub}; it accepts the bearer
 * token {@value #TOKEN} that the model reads from {@code HUBSPOT_TOKEN}.
 */
public class HubSpotStubResource implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "pat-na1-flow-0000-test-token";
    static final String PLACEHOLDER = "http://hubspot.stub.invalid";
    private static final Path TEMPLATE = Path.of("src/test/resources/http-routes");
    public static final String DATABASE_URL = TestDatabase.siblingUrl("_http_flow");

    /** Init argument: another folder of src/test/resources to copy (its own database: {@code <url>_<folder>}). */
    public static final String FOLDER = "folder";

    private Path template = TEMPLATE;
    private String databaseUrl = DATABASE_URL;

    private HubSpotStub stub;
    private Path routes;

    @Override
    public void init(Map<String, String> initArgs) {
        String folder = initArgs.get(FOLDER);
        if (folder != null) {
            template = Path.of("src/test/resources", folder);
            databaseUrl = databaseOf(folder);
        }
    }

    /** The database of the world made from that folder. */
    public static String databaseOf(String folder) {
        return TestDatabase.siblingUrl("_" + folder.replace('-', '_'));
    }

    @Override
    public Map<String, String> start() {
        TestDatabase.ensureDatabase(databaseUrl, true);
        stub = HubSpotStub.start().acceptBearer(TOKEN);
        routes = RouteFolders.copyWithAddress(template, PLACEHOLDER, stub.baseUrl());
        return Map.of("syncline.routes.location", routes.toString(), "HUBSPOT_TOKEN", TOKEN,
                "quarkus.datasource.jdbc.url", databaseUrl,
                "quarkus.datasource.username", TestDatabase.user(),
                "quarkus.datasource.password", TestDatabase.password());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(stub, new TestInjector.MatchesType(HubSpotStub.class));
    }

    @Override
    public void stop() {
        stub.close();
        RouteFolders.delete(routes);
    }
}
