package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.util.Map;

/**
 * The world of the project-management presets' flows: a {@link JiraStub} (with the project
 * {@link #JIRA_PROJECT}), the routes of {@code src/test/resources/project-tools-routes} with its address
 * written over the placeholder, and a PostgreSQL database of its own. The stubs are injected into test
 * fields of their types; they accept the credentials the model reads from the environment
 * ({@code JIRA_EMAIL} and {@code JIRA_API_TOKEN}), and Jira's webhook is signed with {@link #JIRA_SECRET}.
 */
public class ProjectToolsStubResource implements QuarkusTestResourceLifecycleManager {

    public static final String JIRA_EMAIL = "sync@example.com";
    public static final String JIRA_TOKEN = "ATATT3xFfGF0stub0000";
    /** The secret the Jira admin webhook was created with. */
    public static final String JIRA_SECRET = "jira-webhook-secret-0000";
    /** The key of the project the model's jira system names (settings.project). */
    public static final String JIRA_PROJECT = "SYNC";
    public static final String FOLDER = "project-tools-routes";
    public static final String DATABASE_URL = TestDatabase.siblingUrl("_project_tools_routes");

    private JiraStub jira;
    private Path routes;

    @Override
    public Map<String, String> start() {
        TestDatabase.ensureDatabase(DATABASE_URL, true);
        jira = JiraStub.start(JIRA_EMAIL, JIRA_TOKEN);
        jira.addProject(JIRA_PROJECT);
        routes = RouteFolders.copyWithAddresses(Path.of("src/test/resources", FOLDER), Map.of("http://jira.stub.invalid", jira.baseUrl()));
        return Map.ofEntries(Map.entry("syncline.routes.location", routes.toString()),
                Map.entry("JIRA_EMAIL", JIRA_EMAIL), Map.entry("JIRA_API_TOKEN", JIRA_TOKEN),
                Map.entry("JIRA_WEBHOOK_SECRET", JIRA_SECRET),
                Map.entry("quarkus.datasource.jdbc.url", DATABASE_URL),
                Map.entry("quarkus.datasource.username", TestDatabase.user()),
                Map.entry("quarkus.datasource.password", TestDatabase.password()));
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(jira, new TestInjector.MatchesType(JiraStub.class));
    }

    @Override
    public void stop() {
        jira.close();
        RouteFolders.delete(routes);
    }
}
