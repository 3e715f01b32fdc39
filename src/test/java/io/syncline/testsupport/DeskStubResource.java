package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.Map;

/**
 * The world of the sync plan's test: a {@link DeskStub}, the routes of
 * {@code src/test/resources/plan-routes} with its address written over {@value #PLACEHOLDER}, and a
 * PostgreSQL database of its own ({@link #DATABASE_URL}), holding the ERP's and billing's tables
 * beside the state store, so that a scan of it sees only what the test and the plans did. The stub
 * is injected into test fields of its type.
 */
public class DeskStubResource implements QuarkusTestResourceLifecycleManager {

    public static final String PLACEHOLDER = "http://desk.stub.invalid";
    public static final String DATABASE_URL = TestDatabase.siblingUrl("_plan");

    private DeskStub stub;
    private Path routes;

    @Override
    public Map<String, String> start() {
        TestDatabase.ensureDatabase(DATABASE_URL, true);
        stub = DeskStub.start();
        routes = RouteFolders.copyWithAddress(Path.of("src/test/resources/plan-routes"), PLACEHOLDER, stub.baseUrl());
        return Map.of("syncline.routes.location", routes.toString(),
                "quarkus.datasource.jdbc.url", DATABASE_URL,
                "quarkus.datasource.username", TestDatabase.user(),
                "quarkus.datasource.password", TestDatabase.password());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(stub, new TestInjector.MatchesType(DeskStub.class));
    }

    @Override
    public void stop() {
        stub.close();
        RouteFolders.delete(routes);
    }
}
