package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The world of the HR presets' flows: an {@link OktaStub}, a {@link BambooHrStub} and a {@link GoogleWorkspaceStub},
 * the routes of {@code src/test/resources/hr-routes} with their addresses written over the placeholders, and a
 * PostgreSQL database of its own with the HR system's tables ({@code hr_employee}, {@code hr_okta_user},
 * {@code hr_hire}, {@code hr_bamboohr_employee}, {@code hr_account}). The stubs are injected into test fields of
 * their types; they accept the credentials the model reads from the environment ({@code OKTA_API_TOKEN};
 * {@code BAMBOOHR_API_KEY} and {@code BAMBOOHR_API_PASSWORD}; {@code GOOGLE_WORKSPACE_KEY}, the service account's
 * JSON key the Workspace stub made), Okta's event hook sends the Basic credentials {@link #OKTA_HOOK_CREDENTIALS},
 * and BambooHR's webhook is signed with {@link #BAMBOOHR_WEBHOOK_KEY}. The key of sensitive fields is set,
 * as the model marks a hire's SSN sensitive.
 */
public class HrStubResource implements QuarkusTestResourceLifecycleManager {

    public static final String OKTA_TOKEN = "00QCjAl4MlV-WPXM0stubtoken0000";
    /** The user:password the event hook's authScheme sends as Basic credentials. */
    public static final String OKTA_HOOK_CREDENTIALS = "okta-hook:hook-secret-0000";
    public static final String BAMBOOHR_API_KEY = "b7d5c1e2f3a4stubapikey0000";
    /** The private key BambooHR gave the webhook when it was created. */
    public static final String BAMBOOHR_WEBHOOK_KEY = "bamboohr-webhook-private-key-0000";
    public static final String FOLDER = "hr-routes";
    public static final String DATABASE_URL = TestDatabase.siblingUrl("_hr_routes");

    private OktaStub okta;
    private BambooHrStub bamboohr;
    private GoogleWorkspaceStub workspace;
    private Path routes;

    @Override
    public Map<String, String> start() {
        TestDatabase.ensureDatabase(DATABASE_URL, true);
        okta = OktaStub.start(OKTA_TOKEN);
        bamboohr = BambooHrStub.start(BAMBOOHR_API_KEY);
        workspace = GoogleWorkspaceStub.start();
        try (Connection connection = TestDatabase.connect(DATABASE_URL); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS hr_employee (external_id VARCHAR(64) PRIMARY KEY, email VARCHAR(200),"
                    + " first_name VARCHAR(100), last_name VARCHAR(100), deleted BOOLEAN)");
            statement.execute("CREATE TABLE IF NOT EXISTS hr_okta_user (external_id VARCHAR(64) PRIMARY KEY, email VARCHAR(200),"
                    + " first_name VARCHAR(100), last_name VARCHAR(100), status VARCHAR(20))");
            statement.execute("CREATE TABLE IF NOT EXISTS hr_hire (external_id VARCHAR(64) PRIMARY KEY, email VARCHAR(200),"
                    + " first_name VARCHAR(100), last_name VARCHAR(100), ssn VARCHAR(20))");
            statement.execute("CREATE TABLE IF NOT EXISTS hr_bamboohr_employee (external_id VARCHAR(64) PRIMARY KEY, email VARCHAR(200),"
                    + " first_name VARCHAR(100), last_name VARCHAR(100))");
            statement.execute("CREATE TABLE IF NOT EXISTS hr_account (external_id VARCHAR(64) PRIMARY KEY, email VARCHAR(200),"
                    + " first_name VARCHAR(100), last_name VARCHAR(100), org_unit VARCHAR(200), deleted BOOLEAN)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        routes = RouteFolders.copyWithAddresses(Path.of("src/test/resources", FOLDER), Map.of("http://okta.stub.invalid", okta.baseUrl(),
                "http://bamboohr.stub.invalid", bamboohr.baseUrl(), "http://workspace.stub.invalid", workspace.baseUrl()));
        return Map.ofEntries(Map.entry("syncline.routes.location", routes.toString()),
                Map.entry("OKTA_API_TOKEN", OKTA_TOKEN), Map.entry("OKTA_HOOK_CREDENTIALS", OKTA_HOOK_CREDENTIALS),
                Map.entry("BAMBOOHR_API_KEY", BAMBOOHR_API_KEY), Map.entry("BAMBOOHR_API_PASSWORD", "x"),
                Map.entry("BAMBOOHR_WEBHOOK_KEY", BAMBOOHR_WEBHOOK_KEY),
                Map.entry("GOOGLE_WORKSPACE_KEY", workspace.serviceAccountKey()),
                Map.entry("syncline.field-key", "c3luY2xpbmUtdGVzdC1vbmx5LWZpZWxkLWtleS0zMmI="),
                Map.entry("quarkus.datasource.jdbc.url", DATABASE_URL),
                Map.entry("quarkus.datasource.username", TestDatabase.user()),
                Map.entry("quarkus.datasource.password", TestDatabase.password()));
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(okta, new TestInjector.MatchesType(OktaStub.class));
        testInjector.injectIntoFields(bamboohr, new TestInjector.MatchesType(BambooHrStub.class));
        testInjector.injectIntoFields(workspace, new TestInjector.MatchesType(GoogleWorkspaceStub.class));
    }

    @Override
    public void stop() {
        okta.close();
        bamboohr.close();
        workspace.close();
        RouteFolders.delete(routes);
    }
}
