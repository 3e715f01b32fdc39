package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.Map;

/**
 * The world of the REST polling flow: a {@link PipedriveStub}, the routes of
 * {@code src/test/resources/rest-polling-routes} with the stub's address written over
 * {@value #PLACEHOLDER}, and a PostgreSQL database of its own ({@link #DATABASE_URL}), so that no
 * other routes claim its inbox's events. The stub is injected into test fields of its type; it
 * accepts the API token {@value #TOKEN} that the model reads from {@code PIPEDRIVE_TOKEN}.
 */
public class PipedriveStubResource implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "pd-stub-api-token-0000";
    static final String PLACEHOLDER = "http://pipedrive.stub.invalid";
    public static final String DATABASE_URL = TestDatabase.siblingUrl("_rest_polling");

    private PipedriveStub stub;
    private Path routes;

    @Override
    public Map<String, String> start() {
        TestDatabase.ensureDatabase(DATABASE_URL, true);
        stub = PipedriveStub.start(TOKEN);
        routes = RouteFolders.copyWithAddress(Path.of("src/test/resources/rest-polling-routes"), PLACEHOLDER, stub.baseUrl());
        return Map.of("syncline.routes.location", routes.toString(), "PIPEDRIVE_TOKEN", TOKEN,
                "quarkus.datasource.jdbc.url", DATABASE_URL,
                "quarkus.datasource.username", TestDatabase.user(),
                "quarkus.datasource.password", TestDatabase.password());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(stub, new TestInjector.MatchesType(PipedriveStub.class));
    }

    @Override
    public void stop() {
        stub.close();
        RouteFolders.delete(routes);
    }
}
