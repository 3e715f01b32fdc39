package io.syncline.examples;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.ApiDescription;
import io.syncline.testsupport.BambooHrStub;
import io.syncline.testsupport.ConsoleSession;
import io.syncline.testsupport.DiscoveryContract;
import io.syncline.testsupport.Examples;
import io.syncline.testsupport.GoogleWorkspaceStub;
import io.syncline.testsupport.OktaStub;
import io.syncline.testsupport.RouteFolders;
import io.syncline.testsupport.SensitiveScan;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
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
 * The HR example (examples/hr) as it is shipped, BambooHR, Google Workspace and Okta being the stubs of
 * their presets and payroll's database the real PostgreSQL: three hires, told by BambooHR's signed webhook
 * events, become Workspace users, Okta users and payroll rows; a promotion updates all three; a leaver is
 * suspended in Workspace, deactivated (kept) in Okta and marked in payroll. Each system ends with what it
 * should have, once, and every request sent to BambooHR, Okta and Google is checked against their
 * published descriptions. The SSN, salary and bank account reach payroll in clear and are found in none of
 * the state store's columns, the application's log records, the admin API's and console's pages, or the
 * audit's export.
 */
@QuarkusTest
@WithTestResource(HrExampleTest.World.class)
class HrExampleTest {

    static final String EXAMPLE = "hr";
    static final String DATABASE = Examples.databaseOf(EXAMPLE);
    static final String PAYROLL = TestDatabase.siblingUrl("_example_hr_payroll");
    static final String BAMBOOHR_KEY = "b7d5c1e2f3a4exampleapikey00";
    static final String BAMBOOHR_WEBHOOK_KEY = "bamboohr-example-webhook-private-key";
    static final String PAYROLL_USER = "syncline_example_payroll";
    static final String OKTA_TOKEN = "00QCjAl4MlV-WPXM0exampletoken0";
    static final ApiDescription BAMBOOHR = ApiDescription.published("bamboohr/public.yaml");
    static final ApiDescription OKTA = ApiDescription.published("okta/management-minimal.yaml");
    static final DiscoveryContract WORKSPACE = DiscoveryContract.published("google-workspace/admin-directory_v1.json");
    /** The sensitive values planted in BambooHR: SSNs, pay rates, bank accounts, the promotion's new pay rate among them. */
    static final List<String> SSNS = List.of("623-41-8071", "623-41-8072", "623-41-8073");
    static final List<String> SALARIES = List.of("98517.00 USD", "87233.00 USD", "91349.00 USD", "104771.00 USD");
    static final List<String> BANK_ACCOUNTS = List.of("GB33BUKB20201555555501", "GB33BUKB20201555555502", "GB33BUKB20201555555503");

    /** The three stubs, payroll's table (the example's payroll-schema.sql) in a PostgreSQL database of its own. */
    public static class World implements QuarkusTestResourceLifecycleManager {

        private BambooHrStub bamboohr;
        private OktaStub okta;
        private GoogleWorkspaceStub workspace;
        private Path routes;

        @Override
        public Map<String, String> start() {
            bamboohr = BambooHrStub.start(BAMBOOHR_KEY);
            okta = OktaStub.start(OKTA_TOKEN);
            workspace = GoogleWorkspaceStub.start();
            routes = Examples.copy(EXAMPLE, Map.of("https://acme.bamboohr.com", bamboohr.baseUrl(), "https://acme.okta.com",
                    okta.baseUrl(), "https://admin.googleapis.com", workspace.baseUrl(), "it-admin@acme.example", GoogleWorkspaceStub.ADMIN));
            Map<String, String> settings = new HashMap<>(Examples.store(EXAMPLE, routes));
            // payroll's own account, with a password as production has, rights on its table only
            TestDatabase.ensureDatabase(PAYROLL, true);
            String password = Examples.schemaWithAccount(EXAMPLE, "payroll-schema.sql", PAYROLL, PAYROLL_USER, "payroll_employee");
            settings.putAll(Map.of("BAMBOOHR_API_KEY", BAMBOOHR_KEY, "BAMBOOHR_API_PASSWORD", "x",
                    "BAMBOOHR_WEBHOOK_KEY", BAMBOOHR_WEBHOOK_KEY, "GOOGLE_WORKSPACE_KEY", workspace.serviceAccountKey(),
                    "OKTA_API_TOKEN", OKTA_TOKEN, "PAYROLL_DB_URL", PAYROLL, "PAYROLL_DB_USER", PAYROLL_USER,
                    "PAYROLL_DB_PASSWORD", password,
                    "syncline.field-key", Base64.getEncoder().encodeToString(new SecureRandom().generateSeed(32))));
            return settings;
        }

        @Override
        public void inject(TestInjector testInjector) {
            testInjector.injectIntoFields(bamboohr, new TestInjector.MatchesType(BambooHrStub.class));
            testInjector.injectIntoFields(okta, new TestInjector.MatchesType(OktaStub.class));
            testInjector.injectIntoFields(workspace, new TestInjector.MatchesType(GoogleWorkspaceStub.class));
        }

        @Override
        public void stop() {
            bamboohr.close();
            okta.close();
            workspace.close();
            RouteFolders.delete(routes);
        }
    }

    private static SensitiveScan.LogCapture logs;

    BambooHrStub bamboohr;
    OktaStub okta;
    GoogleWorkspaceStub workspace;

    @BeforeAll
    static void captureLogs() {
        logs = SensitiveScan.captureLogs();
    }

    @AfterAll
    static void stopCapture() {
        logs.close();
    }

    private static List<Map<String, Object>> query(String sql, Object... parameters) {
        return TestDatabase.queryOn(DATABASE, sql, parameters);
    }

    private static String systemId(String system, String employee) {
        return (String) TestDatabase.awaitRowsOn(DATABASE, "SELECT target.system_id FROM id_map target JOIN id_map source"
                + " ON source.canonical_id = target.canonical_id AND source.entity = target.entity WHERE target.entity = 'employee'"
                + " AND target.system = ? AND source.system = 'bamboohr' AND source.system_id = ?", system, employee)
                .get(0).get("system_id");
    }

    /** Posts an event-based webhook's delivery {@code body}, signed with {@code key} as BambooHR signs: its answer's status. */
    private static int deliver(String key, String body) {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        return given().contentType(ContentType.JSON).header("X-BambooHR-Signature", BambooHrStub.sign(key, body, timestamp))
                .header("X-BambooHR-Timestamp", timestamp).body(body).when().post("/webhooks/bamboohr/employees").statusCode();
    }

    private static void awaitSettled(long events) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(query("SELECT count(*) AS n FROM inbox"
                + " WHERE status IN ('done', 'held', 'dead')").get(0).get("n")).isEqualTo(events));
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-only-password");
    }

    private static String ok(Response answer) {
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        return answer.asString();
    }

    @Test
    void hiresAPromotionAndALeaverReachWorkspaceOktaAndPayrollWithTheirSensitiveValuesKeptNowhereInSyncline() {
        // three hires in BambooHR, each told by a signed employee.created event; one badly signed is refused
        List<String> employees = new ArrayList<>();
        String[][] people = {{"Ada", "Lovelace", "Engineer"}, {"Grace", "Hopper", "Rear Admiral"}, {"Alan", "Turing", "Analyst"}};
        for (int i = 0; i < people.length; i++) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("firstName", people[i][0]);
            fields.put("lastName", people[i][1]);
            fields.put("workEmail", people[i][0].toLowerCase() + "@acme.example");
            fields.put("jobTitle", people[i][2]);
            fields.put("hireDate", "2024-0" + (i + 1) + "-15");
            fields.put("ssn", SSNS.get(i));
            fields.put("payRate", SALARIES.get(i));
            fields.put("customBankAccount", BANK_ACCOUNTS.get(i));
            employees.add(bamboohr.add(fields));
        }
        String first = BambooHrStub.event("employee.created", employees.get(0), List.of());
        assertThat(deliver("not-the-private-key", first)).isEqualTo(401);
        for (String employee : employees) {
            assertThat(deliver(BAMBOOHR_WEBHOOK_KEY, BambooHrStub.event("employee.created", employee, List.of()))).isEqualTo(202);
        }
        awaitSettled(3);
        String ada = employees.get(0);
        String grace = employees.get(1);

        // Ada is promoted and renamed, with a new pay rate
        bamboohr.employee(ada).putAll(Map.of("lastName", "King", "jobTitle", "Lead Engineer", "payRate", SALARIES.get(3)));
        String promotion = BambooHrStub.event("employee.updated", ada, List.of("lastName", "jobTitle", "payRate"));
        assertThat(deliver(BAMBOOHR_WEBHOOK_KEY, promotion)).isEqualTo(202);
        awaitSettled(4);
        // Grace leaves
        bamboohr.employee(grace).put("status", "Inactive");
        assertThat(deliver(BAMBOOHR_WEBHOOK_KEY, BambooHrStub.event("employee.updated", grace, List.of("status")))).isEqualTo(202);
        awaitSettled(5);
        // BambooHR repeats a delivery: the same event, not stored again
        assertThat(deliver(BAMBOOHR_WEBHOOK_KEY, promotion)).isBetween(200, 299);

        // Google Workspace: three users, Ada's renamed, Grace's suspended
        String adaUser = systemId("workspace", ada);
        String graceUser = systemId("workspace", grace);
        String alanUser = systemId("workspace", employees.get(2));
        assertThat(workspace.user(adaUser)).containsEntry("primaryEmail", "ada@acme.example").containsEntry("suspended", false);
        assertThat(workspace.name(adaUser)).containsEntry("familyName", "King");
        assertThat(workspace.user(graceUser)).containsEntry("suspended", true);
        assertThat(workspace.user(alanUser)).containsEntry("suspended", false);
        // Okta: three users, Ada's profile updated, Grace's deactivated and kept
        String adaOkta = systemId("okta", ada);
        assertThat(okta.profile(adaOkta)).containsEntry("login", "ada@acme.example").containsEntry("lastName", "King")
                .containsEntry("title", "Lead Engineer");
        assertThat(okta.user(systemId("okta", grace))).containsEntry("status", "DEPROVISIONED");
        assertThat(okta.user(systemId("okta", employees.get(2)))).containsEntry("status", "PROVISIONED");
        // payroll: three employees with their SSN, pay rate and bank account in clear; Ada's new pay, Grace gone
        assertThat(TestDatabase.queryOn(PAYROLL, "SELECT employee_id, last_name, status, ssn, salary, bank_account"
                + " FROM payroll_employee ORDER BY employee_id")).extracting(row -> String.join(" ", row.get("employee_id").toString(),
                        row.get("last_name").toString(), row.get("status").toString(), row.get("ssn").toString(),
                        row.get("salary").toString(), row.get("bank_account").toString()))
                .containsExactly(ada + " King Active " + SSNS.get(0) + " " + SALARIES.get(3) + " " + BANK_ACCOUNTS.get(0),
                        grace + " Hopper Inactive " + SSNS.get(1) + " " + SALARIES.get(1) + " " + BANK_ACCOUNTS.get(1),
                        employees.get(2) + " Turing Active " + SSNS.get(2) + " " + SALARIES.get(2) + " " + BANK_ACCOUNTS.get(2));

        // nothing lost, nothing doubled: each system's writes counted
        assertThat(workspace.received("POST", GoogleWorkspaceStub.USERS)).hasSize(3);
        assertThat(workspace.received("PATCH", GoogleWorkspaceStub.USERS + "/" + adaUser)).hasSize(1);
        assertThat(workspace.received("PATCH", GoogleWorkspaceStub.USERS + "/" + graceUser)).hasSize(1);
        assertThat(okta.received("POST", OktaStub.USERS)).hasSize(3);
        assertThat(okta.received("POST", OktaStub.USERS + "/" + adaOkta)).hasSize(1);
        assertThat(okta.received("POST", OktaStub.USERS + "/" + systemId("okta", grace) + "/lifecycle/deactivate")).hasSize(1);
        assertThat(okta.received("DELETE", OktaStub.USERS + "/" + systemId("okta", grace))).isEmpty();
        assertThat(query("SELECT system, count(*) AS n FROM id_map GROUP BY system ORDER BY system"))
                .extracting(row -> row.get("system") + " " + row.get("n"))
                .containsExactly("bamboohr 3", "okta 3", "payroll 3", "workspace 3");
        assertThat(query("SELECT status, count(*) AS n FROM inbox GROUP BY status ORDER BY status"))
                .extracting(row -> row.get("status") + " " + row.get("n")).containsExactly("done 5");
        assertThat(query("SELECT count(*) AS n FROM dead_letter").get(0).get("n")).isEqualTo(0L);
        assertThat(BAMBOOHR.violations(bamboohr.received())).as(BAMBOOHR.used()).isEmpty();
        assertThat(OKTA.violations(okta.received())).as(OKTA.used()).isEmpty();
        assertThat(WORKSPACE.violations(workspace.received())).as(WORKSPACE.used()).isEmpty();

        // the sensitive values: in none of the state store's columns (which the scan reads: it finds a value not sensitive)
        List<String> planted = planted();
        assertThat(SensitiveScan.storeColumnsHolding(DATABASE, List.of("Lead Engineer"), List.of())).isNotEmpty();
        assertThat(SensitiveScan.storeColumnsHolding(DATABASE, planted, List.of())).as("state store columns holding a planted value")
                .isEmpty();
        // nor on the admin API's and the console's pages of the employees, nor in the audit's export
        String canonical = (String) query("SELECT canonical_id FROM id_map WHERE entity = 'employee' AND system = 'bamboohr'"
                + " AND system_id = ?", ada).get(0).get("canonical_id");
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("record", ok(admin().get("/admin/records/employee/" + canonical)));
        pages.put("current", ok(admin().queryParam("system", "payroll").get("/admin/records/employee/" + canonical + "/current")));
        pages.put("why", ok(admin().queryParam("entity", "employee").queryParam("record", canonical).queryParam("system", "payroll")
                .queryParam("field", "salary").get("/admin/audit/why")));
        pages.put("audit", ok(admin().queryParam("entity", "employee").get("/admin/audit")));
        pages.put("audit export csv", ok(admin().queryParam("entity", "employee").queryParam("format", "csv").get("/admin/audit/export")));
        pages.put("audit export jsonl", ok(admin().queryParam("entity", "employee").queryParam("format", "jsonl")
                .get("/admin/audit/export")));
        pages.put("dead letters", ok(admin().get("/admin/dead-letters?limit=1000&status=")));
        String session = ConsoleSession.admin();
        for (String page : List.of("/console/records?entity=employee&q=" + canonical + "&whySystem=payroll&whyField=salary",
                "/console/audit?entity=employee", "/console/dead-letters?status=", "/console/review?entity=employee")) {
            pages.put(page, ok(given().cookie("syncline-console", session).redirects().follow(false).get(page)));
        }
        assertThat(pages.get("record")).contains("sha256:");
        pages.forEach((page, body) -> assertThat(planted).as(page).noneMatch(body::contains));
        // nor in the application's log records (the capture is working: the sync logged)
        assertThat(logs.lines()).isNotEmpty();
        assertThat(logs.holding(planted)).isEmpty();
    }

    /** Every planted value, and each SSN without its dashes and each pay rate without its currency. */
    private static List<String> planted() {
        List<String> all = new ArrayList<>(SSNS);
        SSNS.forEach(ssn -> all.add(ssn.replace("-", "")));
        all.addAll(SALARIES);
        SALARIES.forEach(salary -> all.add(salary.replace(" USD", "")));
        all.addAll(BANK_ACCOUNTS);
        return all;
    }
}
