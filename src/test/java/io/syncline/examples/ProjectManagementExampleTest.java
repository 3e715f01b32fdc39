package io.syncline.examples;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncline.testsupport.ApiDescription;
import io.syncline.testsupport.AsanaStub;
import io.syncline.testsupport.Examples;
import io.syncline.testsupport.HarvestStub;
import io.syncline.testsupport.IntuitOAuthStub;
import io.syncline.testsupport.JiraStub;
import io.syncline.testsupport.LinkedRecords;
import io.syncline.testsupport.QuickBooksStub;
import io.syncline.testsupport.RouteFolders;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The project-management example (examples/project-management) as it is shipped, Jira, Asana,
 * Harvest and QuickBooks Online being the stubs of their presets and billing's database the real
 * PostgreSQL: Jira's signed issue events become Asana tasks (a renamed issue renames its task, a
 * badly signed event is refused); Harvest's time entries, polled, land in billing's timesheet;
 * billing's customer and the invoice it makes of those hours reach QuickBooks, the invoice naming
 * the customer and the linked service item by QuickBooks' Ids; an invoice over 10,000 waits for
 * approval by the example's rule. Each system ends with what it should have, once, and every
 * request sent to Jira, Asana and Harvest is checked against their published descriptions
 * (Intuit publishes none for QuickBooks: its stub follows the reference pages it names).
 */
@QuarkusTest
@WithTestResource(ProjectManagementExampleTest.World.class)
class ProjectManagementExampleTest {

    static final String EXAMPLE = "project-management";
    static final String DATABASE = Examples.databaseOf(EXAMPLE);
    static final String JIRA_EMAIL = "sync@example.com";
    static final String JIRA_TOKEN = "ATATT3xFfGF0example0000";
    static final String JIRA_SECRET = "jira-webhook-secret-example";
    static final String ASANA_TOKEN = "2/1200000000000007/1200000000000999:exampletoken";
    static final String ASANA_PROJECT = "1200000000000001";
    static final String HARVEST_TOKEN = "2264455.pt.exampletoken";
    static final String HARVEST_ACCOUNT = "1121001";
    static final long HARVEST_PROJECT = 14_307_913L;
    static final long HARVEST_TASK = 8_083_365L;
    static final String BILLING_USER = "syncline_example_billing";
    static final ApiDescription JIRA = ApiDescription.published("jira/swagger-v3.v3.json");
    static final ApiDescription ASANA = ApiDescription.publishedMergingAllOf("asana/asana_oas.yaml");
    static final ApiDescription HARVEST = ApiDescription.published("harvest/harvest-openapi.yaml");

    /** The four stubs, billing's timesheet (the example's billing-schema.sql) in the example's own PostgreSQL database. */
    public static class World implements QuarkusTestResourceLifecycleManager {

        private JiraStub jira;
        private AsanaStub asana;
        private HarvestStub harvest;
        private IntuitOAuthStub intuit;
        private QuickBooksStub quickbooks;
        private Path routes;

        @Override
        public Map<String, String> start() {
            jira = JiraStub.start(JIRA_EMAIL, JIRA_TOKEN);
            jira.addProject("PROJ");
            asana = AsanaStub.start(ASANA_TOKEN);
            asana.addProject(ASANA_PROJECT, "Website");
            harvest = HarvestStub.start(HARVEST_TOKEN, HARVEST_ACCOUNT);
            harvest.addProject(HARVEST_PROJECT, "Website relaunch", HARVEST_TASK, "Programming");
            try {
                intuit = new IntuitOAuthStub();
                quickbooks = new QuickBooksStub(intuit::isLive);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            routes = Examples.copy(EXAMPLE, Map.of("https://your-site.atlassian.net", jira.baseUrl(),
                    "https://app.asana.com", asana.baseUrl(), "https://api.harvestapp.com", harvest.baseUrl(),
                    "https://quickbooks.api.intuit.com", quickbooks.baseUrl(), "https://appcenter.intuit.com", intuit.baseUrl(),
                    "https://oauth.platform.intuit.com", intuit.baseUrl(), "realmId: \"1234567890\"",
                    "realmId: \"" + IntuitOAuthStub.REALM_ID + "\""));
            Map<String, String> settings = new HashMap<>(Examples.store(EXAMPLE, routes));
            // billing's own account, with a password as production has, rights on its timesheet only
            String password = Examples.schemaWithAccount(EXAMPLE, "billing-schema.sql", Examples.databaseOf(EXAMPLE), BILLING_USER,
                    "pm_timesheet");
            settings.putAll(Map.ofEntries(Map.entry("JIRA_EMAIL", JIRA_EMAIL), Map.entry("JIRA_API_TOKEN", JIRA_TOKEN),
                    Map.entry("JIRA_WEBHOOK_SECRET", JIRA_SECRET),
                    Map.entry("ASANA_ACCESS_TOKEN", ASANA_TOKEN),
                    Map.entry("HARVEST_ACCESS_TOKEN", HARVEST_TOKEN), Map.entry("HARVEST_ACCOUNT_ID", HARVEST_ACCOUNT),
                    Map.entry("HARVEST_USER_AGENT", "Syncline example (ops@example.com)"),
                    Map.entry("QBO_CLIENT_ID", IntuitOAuthStub.CLIENT_ID), Map.entry("QBO_CLIENT_SECRET", IntuitOAuthStub.CLIENT_SECRET),
                    Map.entry("QBO_REFRESH_TOKEN", intuit.issueRefreshToken()),
                    Map.entry("SYNCLINE_TOKEN_KEY", Base64.getEncoder().encodeToString(new byte[32])),
                    Map.entry("BILLING_DB_URL", Examples.databaseOf(EXAMPLE)), Map.entry("BILLING_DB_USER", BILLING_USER),
                    Map.entry("BILLING_DB_PASSWORD", password)));
            return settings;
        }

        @Override
        public void inject(TestInjector testInjector) {
            testInjector.injectIntoFields(jira, new TestInjector.MatchesType(JiraStub.class));
            testInjector.injectIntoFields(asana, new TestInjector.MatchesType(AsanaStub.class));
            testInjector.injectIntoFields(harvest, new TestInjector.MatchesType(HarvestStub.class));
            testInjector.injectIntoFields(quickbooks, new TestInjector.MatchesType(QuickBooksStub.class));
        }

        @Override
        public void stop() {
            jira.close();
            asana.close();
            harvest.close();
            quickbooks.close();
            intuit.close();
            RouteFolders.delete(routes);
        }
    }

    JiraStub jira;
    AsanaStub asana;
    HarvestStub harvest;
    QuickBooksStub quickbooks;

    private static List<Map<String, Object>> query(String sql, Object... parameters) {
        return TestDatabase.queryOn(DATABASE, sql, parameters);
    }

    private static String systemId(String entity, String system, String otherSystem, String otherId) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT target.system_id FROM id_map target JOIN id_map source"
                + " ON source.canonical_id = target.canonical_id AND source.entity = target.entity WHERE target.entity = ?"
                + " AND target.system = ? AND source.system = ? AND source.system_id = ?", entity, system, otherSystem, otherId)
                .get(0).get("system_id");
    }

    private static int deliver(String body, String signature, String identifier) {
        return given().contentType(ContentType.JSON).header("X-Hub-Signature", signature)
                .header("X-Atlassian-Webhook-Identifier", identifier).body(body).when().post("/webhooks/jira/issues").statusCode();
    }

    private static void post(String path, Object body) {
        given().contentType(ContentType.JSON).body(body).when().post(path).then().statusCode(202);
    }

    private static void awaitSettled(long events) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(query("SELECT count(*) AS n FROM inbox"
                + " WHERE status IN ('done', 'held', 'dead')").get(0).get("n")).isEqualTo(events));
    }

    @Test
    void issuesBecomeTasksAndTheHoursOfHarvestAnInvoiceInQuickBooks() {
        // Jira: two issues created, then one renamed
        String auth = jira.add("PROJ", Map.of("summary", "Implement user authentication"));
        String search = jira.add("PROJ", Map.of("summary", "Add site search"));
        String first = JiraStub.event("jira:issue_created", jira.issue(auth));
        assertThat(deliver(first, JiraStub.sign("not-the-secret", first), "pm-0")).isEqualTo(401);
        assertThat(deliver(first, JiraStub.sign(JIRA_SECRET, first), "pm-1")).isEqualTo(202);
        String second = JiraStub.event("jira:issue_created", jira.issue(search));
        assertThat(deliver(second, JiraStub.sign(JIRA_SECRET, second), "pm-2")).isEqualTo(202);
        String authTask = systemId("issue", "asana", "jira", auth);
        String searchTask = systemId("issue", "asana", "jira", search);
        assertThat(asana.task(authTask)).containsEntry("name", "PROJ-1 Implement user authentication");
        assertThat(asana.task(searchTask)).containsEntry("name", "PROJ-2 Add site search");
        jira.fields(auth).put("summary", "Implement OAuth 2.0 sign-in");
        String renamed = JiraStub.event("jira:issue_updated", jira.issue(auth));
        assertThat(deliver(renamed, JiraStub.sign(JIRA_SECRET, renamed), "pm-3")).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(asana.task(authTask))
                .containsEntry("name", "PROJ-1 Implement OAuth 2.0 sign-in"));

        // Harvest: three entries of the project, polled into billing's timesheet
        Instant now = Instant.now();
        harvest.add(HARVEST_PROJECT, HARVEST_TASK, LocalDate.parse("2024-11-04"), Map.of("hours", 2.5, "notes", "OAuth flow"), now);
        harvest.add(HARVEST_PROJECT, HARVEST_TASK, LocalDate.parse("2024-11-05"), Map.of("hours", 4.0, "notes", "Search index"), now);
        harvest.add(HARVEST_PROJECT, HARVEST_TASK, LocalDate.parse("2024-11-05"), Map.of("hours", 1.0, "notes", "Stand-up",
                "billable", false), now);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(query("SELECT count(*) AS n FROM pm_timesheet")
                .get(0).get("n")).isEqualTo(3L));

        // billing: its customer, the service item linked once, and the invoice of the billable hours at 150 an hour
        String item = quickbooks.addItem("Hours");
        LinkedRecords.link(DATABASE, "service", "billing", "hours", "quickbooks", item);
        post("/webhooks/billing/customers", Map.of("id", "cust-1", "email", "ap@acme.example", "name", "Acme Corp"));
        List<Map<String, Object>> lines = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (Map<String, Object> entry : query("SELECT task, notes, hours FROM pm_timesheet WHERE billable ORDER BY notes")) {
            BigDecimal hours = ((BigDecimal) entry.get("hours")).setScale(2);
            BigDecimal amount = hours.multiply(new BigDecimal("150.00")).setScale(2);
            total = total.add(amount);
            lines.add(Map.of("description", entry.get("task") + ": " + entry.get("notes"), "serviceId", "hours",
                    "hours", hours, "rate", new BigDecimal("150.00"), "amount", amount));
        }
        Map<String, Object> invoice = new LinkedHashMap<>(Map.of("id", "inv-1001", "customerId", "cust-1", "dueDate", "2024-12-05",
                "total", total, "lines", lines));
        post("/webhooks/billing/invoices", invoice);
        post("/webhooks/billing/invoices", Map.of("id", "inv-1002", "customerId", "cust-1", "dueDate", "2024-12-05",
                "total", new BigDecimal("12600.00"), "lines", List.of(Map.of("description", "Programming: relaunch", "serviceId",
                        "hours", "hours", new BigDecimal("84.00"), "rate", new BigDecimal("150.00"), "amount", new BigDecimal("12600.00")))));
        awaitSettled(3 + 3 + 3);

        String customer = systemId("customer", "quickbooks", "billing", "cust-1");
        assertThat(quickbooks.customers()).hasSize(1);
        Map<String, Object> written = quickbooks.invoice(systemId("invoice", "quickbooks", "billing", "inv-1001"));
        assertThat(written.get("CustomerRef")).isEqualTo(Map.of("value", customer));
        assertThat((List<?>) written.get("Line")).filteredOn(line -> "SalesItemLineDetail".equals(((Map<?, ?>) line).get("DetailType")))
                .hasSize(2).allSatisfy(line -> assertThat(((Map<?, ?>) ((Map<?, ?>) line).get("SalesItemLineDetail")).get("ItemRef"))
                        .isEqualTo(Map.of("value", item)));
        assertThat(total).isEqualByComparingTo("975.00");
        assertThat(quickbooks.invoices()).hasSize(1);
        // the invoice over 10,000 waits for a person, held by the rule; nothing of it reached QuickBooks
        assertThat(query("SELECT kind, reason FROM review_item WHERE status = 'open'")).singleElement()
                .satisfies(row -> assertThat(row.get("kind")).isEqualTo("held_by_rule"));

        // nothing lost, nothing doubled (billing's held invoice has its canonical id, and no QuickBooks id)
        assertThat(asana.received("POST", "/api/1.0/tasks")).hasSize(2);
        assertThat(query("SELECT system, count(*) AS n FROM id_map GROUP BY system ORDER BY system"))
                .extracting(row -> row.get("system") + " " + row.get("n"))
                .containsExactly("asana 2", "billing 4", "billingdb 3", "harvest 3", "jira 2", "quickbooks 3");
        assertThat(query("SELECT status, count(*) AS n FROM inbox GROUP BY status ORDER BY status"))
                .extracting(row -> row.get("status") + " " + row.get("n")).containsExactly("done 8", "held 1");
        assertThat(JIRA.violations(jira.received())).as(JIRA.used()).isEmpty();
        assertThat(ASANA.violations(asana.received())).as(ASANA.used()).isEmpty();
        assertThat(HARVEST.violations(harvest.received())).as(HARVEST.used()).isEmpty();
    }
}
