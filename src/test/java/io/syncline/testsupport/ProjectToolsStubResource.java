package io.syncline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The world of the project-management presets' flows: a {@link JiraStub} (with the project
 * {@link #JIRA_PROJECT}) and a {@link HarvestStub} (the account {@link #HARVEST_ACCOUNT} with the project
 * {@link #HARVEST_PROJECT} and its task {@link #HARVEST_TASK}), the routes of
 * {@code src/test/resources/project-tools-routes} with their addresses written over the placeholders, and
 * a PostgreSQL database of its own with billing's time tables ({@code pm_time_log}, {@code pm_harvest_entry}).
 * The stubs are injected into test fields of their types; they accept the credentials the model reads
 * from the environment ({@code JIRA_EMAIL} and {@code JIRA_API_TOKEN}, {@code HARVEST_ACCESS_TOKEN} and
 * {@code HARVEST_ACCOUNT_ID}), and Jira's webhook is signed with {@link #JIRA_SECRET}. A {@link NotionStub} holds the
 * database {@link #NOTION_DATABASE} (its data source {@code Name}, a title, and {@code Email}), takes
 * {@code NOTION_TOKEN}, and its events are signed with {@link #NOTION_VERIFICATION_TOKEN}, which its subscription's
 * verification request hands over (kept sealed with {@code SYNCLINE_TOKEN_KEY}). An {@link AirtableStub}
 * holds the base {@link #AIRTABLE_BASE} with the tables {@code Contacts} (from billing's polled
 * {@code pm_airtable_contact}) and {@code Leads} (billing's {@code pm_airtable_lead} takes its polled changes), takes {@code AIRTABLE_TOKEN}, and refuses every
 * request for {@link #AIRTABLE_PENALTY} after a 429, as Airtable does for 30 seconds.
 */
public class ProjectToolsStubResource implements QuarkusTestResourceLifecycleManager {

    public static final String JIRA_EMAIL = "sync@example.com";
    public static final String JIRA_TOKEN = "ATATT3xFfGF0stub0000";
    /** The secret the Jira admin webhook was created with. */
    public static final String JIRA_SECRET = "jira-webhook-secret-0000";
    /** The key of the project the model's jira system names (settings.project). */
    public static final String JIRA_PROJECT = "SYNC";
    public static final String HARVEST_TOKEN = "2264455.pt.stubtoken0000";
    public static final String HARVEST_ACCOUNT = "1121001";
    /** The project and task the model's harvest system names (settings.project, settings.task). */
    public static final long HARVEST_PROJECT = 14_307_913L;
    public static final long HARVEST_TASK = 8_083_365L;
    public static final String NOTION_TOKEN = "ntn_4512stubtoken0000";
    /** The verification token Notion sent when the webhook subscription was made: the key of its signatures. */
    public static final String NOTION_VERIFICATION_TOKEN = "secret_notionverification0000";
    /** The database the model's notion system names (settings.database). */
    public static final String NOTION_DATABASE = "248104cd-477e-80fd-b757-e945d38000bd";
    public static final String AIRTABLE_TOKEN = "patStub0000.0000stubtoken";
    /** The base the model's airtable system names (settings.base). */
    public static final String AIRTABLE_BASE = "appSyncline00001";
    /** How long the stub refuses after a 429: the model's rateLimit.retryAfter, short of Airtable's 30 s for the test. */
    public static final java.time.Duration AIRTABLE_PENALTY = java.time.Duration.ofSeconds(2);
    public static final String FOLDER = "project-tools-routes";
    public static final String DATABASE_URL = TestDatabase.siblingUrl("_project_tools_routes");

    private JiraStub jira;
    private HarvestStub harvest;
    private NotionStub notion;
    private AirtableStub airtable;
    private Path routes;

    @Override
    public Map<String, String> start() {
        TestDatabase.ensureDatabase(DATABASE_URL, true);
        jira = JiraStub.start(JIRA_EMAIL, JIRA_TOKEN);
        jira.addProject(JIRA_PROJECT);
        harvest = HarvestStub.start(HARVEST_TOKEN, HARVEST_ACCOUNT);
        harvest.addProject(HARVEST_PROJECT, "Online Store - Phase 1", HARVEST_TASK, "Programming");
        notion = NotionStub.start(NOTION_TOKEN);
        notion.addDatabase(NOTION_DATABASE, Map.of("Name", "title", "Email", "email"));
        airtable = AirtableStub.start(AIRTABLE_TOKEN, AIRTABLE_BASE, AIRTABLE_PENALTY);
        airtable.addTable("Contacts", Map.of("Name", "singleLineText", "Email", "email"));
        airtable.addTable("Leads", Map.of("Name", "singleLineText", "Email", "email", "Modified", "lastModifiedTime"));
        try (Connection connection = TestDatabase.connect(DATABASE_URL); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS pm_time_log (external_id VARCHAR(64) PRIMARY KEY, notes VARCHAR(400),"
                    + " hours NUMERIC(6, 2), spent_date DATE, deleted BOOLEAN)");
            statement.execute("CREATE TABLE IF NOT EXISTS pm_harvest_entry (external_id VARCHAR(64) PRIMARY KEY, notes VARCHAR(400),"
                    + " hours NUMERIC(6, 2), updated_at TIMESTAMP WITH TIME ZONE)");
            statement.execute("CREATE TABLE IF NOT EXISTS pm_airtable_contact (external_id VARCHAR(64) PRIMARY KEY, name VARCHAR(200),"
                    + " email VARCHAR(200), updated_at TIMESTAMP WITH TIME ZONE, deleted BOOLEAN)");
            statement.execute("CREATE TABLE IF NOT EXISTS pm_airtable_lead (external_id VARCHAR(64) PRIMARY KEY, name VARCHAR(200),"
                    + " email VARCHAR(200), modified_at TIMESTAMP WITH TIME ZONE)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        routes = RouteFolders.copyWithAddresses(Path.of("src/test/resources", FOLDER), Map.of("http://jira.stub.invalid", jira.baseUrl(),
                "http://harvest.stub.invalid", harvest.baseUrl(),
                "http://notion.stub.invalid", notion.baseUrl(),
                "http://airtable.stub.invalid", airtable.baseUrl()));
        return Map.ofEntries(Map.entry("syncline.routes.location", routes.toString()),
                Map.entry("JIRA_EMAIL", JIRA_EMAIL), Map.entry("JIRA_API_TOKEN", JIRA_TOKEN),
                Map.entry("JIRA_WEBHOOK_SECRET", JIRA_SECRET),
                Map.entry("HARVEST_ACCESS_TOKEN", HARVEST_TOKEN), Map.entry("HARVEST_ACCOUNT_ID", HARVEST_ACCOUNT),
                Map.entry("NOTION_TOKEN", NOTION_TOKEN), Map.entry("SYNCLINE_TOKEN_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32])),
                Map.entry("AIRTABLE_TOKEN", AIRTABLE_TOKEN),
                Map.entry("HARVEST_USER_AGENT", "Syncline tests (ops@example.com)"),
                Map.entry("quarkus.datasource.jdbc.url", DATABASE_URL),
                Map.entry("quarkus.datasource.username", TestDatabase.user()),
                Map.entry("quarkus.datasource.password", TestDatabase.password()));
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(jira, new TestInjector.MatchesType(JiraStub.class));
        testInjector.injectIntoFields(harvest, new TestInjector.MatchesType(HarvestStub.class));
        testInjector.injectIntoFields(notion, new TestInjector.MatchesType(NotionStub.class));
        testInjector.injectIntoFields(airtable, new TestInjector.MatchesType(AirtableStub.class));
    }

    @Override
    public void stop() {
        jira.close();
        harvest.close();
        notion.close();
        airtable.close();
        RouteFolders.delete(routes);
    }
}
