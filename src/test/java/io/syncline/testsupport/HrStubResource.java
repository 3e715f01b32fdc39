package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The world of the HR presets' flows: an {@link OktaStub}, the routes of {@code src/test/resources/hr-routes}
 * with its address written over the placeholder, and a PostgreSQL database of its own with the HR system's
 * tables ({@code hr_employee}, {@code hr_okta_user}). The stub is injected into test fields of its type; it
 * accepts the API token the model reads from the environment ({@code OKTA_API_TOKEN}), and Okta's event hook
 * sends the Basic credentials {@link #OKTA_HOOK_CREDENTIALS}.
 */
public class HrStubResource implements QuarkusTestResourceLifecycleManager {

    public static final String OKTA_TOKEN = "00QCjAl4MlV-WPXM0stubtoken0000";
    /** The user:password the event hook's authScheme sends as Basic credentials. */
    public static final String OKTA_HOOK_CREDENTIALS = "okta-hook:hook-secret-0000";
    public static final String FOLDER = "hr-routes";
    public static final String DATABASE_URL = TestDatabase.siblingUrl("_hr_routes");

    private OktaStub okta;
    private Path routes;

    @Override
    public Map<String, String> start() {
        TestDatabase.ensureDatabase(DATABASE_URL, true);
        okta = OktaStub.start(OKTA_TOKEN);
        try (Connection connection = TestDatabase.connect(DATABASE_URL); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS hr_employee (external_id VARCHAR(64) PRIMARY KEY, email VARCHAR(200),"
                    + " first_name VARCHAR(100), last_name VARCHAR(100), deleted BOOLEAN)");
            statement.execute("CREATE TABLE IF NOT EXISTS hr_okta_user (external_id VARCHAR(64) PRIMARY KEY, email VARCHAR(200),"
                    + " first_name VARCHAR(100), last_name VARCHAR(100), status VARCHAR(20))");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        routes = RouteFolders.copyWithAddresses(Path.of("src/test/resources", FOLDER), Map.of("http://okta.stub.invalid", okta.baseUrl()));
        return Map.ofEntries(Map.entry("syncline.routes.location", routes.toString()),
                Map.entry("OKTA_API_TOKEN", OKTA_TOKEN), Map.entry("OKTA_HOOK_CREDENTIALS", OKTA_HOOK_CREDENTIALS),
                Map.entry("quarkus.datasource.jdbc.url", DATABASE_URL),
                Map.entry("quarkus.datasource.username", TestDatabase.user()),
                Map.entry("quarkus.datasource.password", TestDatabase.password()));
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(okta, new TestInjector.MatchesType(OktaStub.class));
    }

    @Override
    public void stop() {
        okta.close();
        RouteFolders.delete(routes);
    }
}
