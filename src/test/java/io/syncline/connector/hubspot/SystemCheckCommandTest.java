package io.syncline.connector.hubspot;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.HubSpotStubResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/syncline check} run as a process against the application of {@link HubSpotPresetTest}
 * (its profile and stubs, so no application of its own is built): a CRM that only sends webhooks,
 * HubSpot through the preset (a stub of its CRM and properties APIs) and billing's table on
 * PostgreSQL. A refused token, a missing custom property and a key column without a unique index
 * are each named with their fix, the command exiting 1; once each fix is applied, every system
 * passes and it exits 0. The same report as JSON at {@code GET /admin/check}, and on the console's
 * systems page.
 */
@QuarkusTest
@TestProfile(HubSpotPresetTest.FullBatches.class)
@WithTestResource(value = HubSpotStubResource.class,
        initArgs = @ResourceArg(name = HubSpotStubResource.FOLDER, value = "hubspot-preset-routes"))
class SystemCheckCommandTest {

    private static final String DATABASE = HubSpotPresetTest.DATABASE;
    private static final String PASSWORD = "test-only-password";
    /** The index the check names as the fix: what an operator would run. */
    private static final String INDEX_FIX = "CREATE UNIQUE INDEX demo_contact_external_id_key ON demo_contact (external_id)";

    HubSpotStub hubspot;

    /** The command's exit status and what it printed. */
    record Run(int exit, String output) {
    }

    /** The check's calls are HubSpot's properties API, which the descriptions other classes check requests against lack. */
    @AfterEach
    void forgetTheChecksCalls() {
        hubspot.forgetReceived();
    }

    private static Run check(String... options) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of("bin", "syncline").toAbsolutePath().toString(), "check",
                "--url", "http://localhost:" + RestAssured.port));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SYNCLINE_ADMIN_PASSWORD", PASSWORD);
        // the command's own bound on the request, so that reading its output ends too
        builder.environment().put("SYNCLINE_CHECK_MAX_TIME", "60");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("bin/syncline check ended").isTrue();
        return new Run(process.exitValue(), output);
    }

    private static void sql(String statement) {
        TestDatabase.updateOn(DATABASE, statement);
    }

    /** billing's key column as the model needs it, whatever a failed run left: the primary key, no other index. */
    private static void keyAsShipped() {
        sql("DROP INDEX IF EXISTS demo_contact_external_id_key");
        if (TestDatabase.queryOn(DATABASE, "SELECT 1 FROM pg_constraint WHERE conname = 'demo_contact_pkey'").isEmpty()) {
            sql("ALTER TABLE demo_contact ADD CONSTRAINT demo_contact_pkey PRIMARY KEY (external_id)");
        }
    }

    @Test
    void aRefusedTokenAMissingPropertyAndAMissingIndexAreNamedWithTheirFixesUntilFixed() throws Exception {
        hubspot.refuseBearer(HubSpotStubResource.TOKEN).deleteProperty("contacts", "crm_contact_id");
        sql("ALTER TABLE demo_contact DROP CONSTRAINT demo_contact_pkey");
        try {
            Run broken = check();
            assertThat(broken.exit()).as(broken.output()).isEqualTo(1);
            assertThat(broken.output())
                    .contains("hubspot (hubspot): FAILED")
                    .contains("FAIL  credentials: hubspot refused the credentials (401)")
                    .contains("fix: give hubspot a HubSpot private app access token (auth.token)")
                    .contains("billing (jdbc): FAILED")
                    .contains("FAIL  key demo_contact.external_id: the key column external_id has no primary key or unique index")
                    .contains("fix: " + INDEX_FIX)
                    .contains("crm (rest): PASSED")
                    .endsWith("FAILED: 2 of 3 systems (billing, hubspot)\n");

            // the token fixed: HubSpot is asked for its properties, and names the one the mappings write that it lacks
            hubspot.acceptBearer(HubSpotStubResource.TOKEN);
            Run noProperty = check();
            assertThat(noProperty.exit()).as(noProperty.output()).isEqualTo(1);
            assertThat(noProperty.output())
                    .contains("ok    credentials: GET /crm/v3/properties/companies answered 200")
                    .contains("FAIL  object contacts: HubSpot has no contact property 'crm_contact_id'")
                    .contains("fix: create the HubSpot contact property 'crm_contact_id' (type string)")
                    .doesNotContain("refused the credentials")
                    .endsWith("FAILED: 2 of 3 systems (billing, hubspot)\n");

            // each fix applied as named
            hubspot.createProperty("contacts", "crm_contact_id");
            sql(INDEX_FIX);
            Run fixed = check();
            assertThat(fixed.exit()).as(fixed.output()).isZero();
            assertThat(fixed.output())
                    .contains("ok    key demo_contact.external_id: the key column has its unique index demo_contact_external_id_key")
                    .contains("ok    object contacts: has the properties the mappings name: crm_contact_id, email, firstname, lastname, shop_member_id")
                    .doesNotContain("FAIL")
                    .endsWith("PASSED: all 3 systems\n");
        } finally {
            hubspot.acceptBearer(HubSpotStubResource.TOKEN).createProperty("contacts", "crm_contact_id");
            keyAsShipped();
        }
        Run asShipped = check("--json");
        assertThat(asShipped.exit()).as(asShipped.output()).isZero();
        assertThat(JsonPath.from(asShipped.output())
                .getString("systems.find { it.system == 'billing' }.checks.find { it.check == 'key demo_contact.external_id' }.detail"))
                .isEqualTo("the key column has its primary key demo_contact_pkey");
    }

    @Test
    void theAdminApiAnswersEachSystemsStepsAndTheConsoleListsThem() {
        given().when().get("/admin/check").then().statusCode(401);
        hubspot.deleteProperty("deals", "dealname");
        try {
            JsonPath report = given().auth().preemptive().basic("admin", PASSWORD).when().get("/admin/check")
                    .then().statusCode(200).extract().jsonPath();
            assertThat(report.getBoolean("passed")).isFalse();
            assertThat(report.getList("systems.system")).containsExactly("billing", "crm", "hubspot");
            assertThat(report.getList("systems.status")).containsExactly("PASSED", "PASSED", "FAILED");
            Map<String, Object> problem = report.getMap("systems[2].checks.find { it.outcome == 'FAILED' }");
            assertThat(problem).containsEntry("check", "object deals")
                    .containsEntry("fix", "create the HubSpot deal property 'dealname' (type string), or correct the mapping's path");
            assertThat(report.getList("systems[2].checks.findAll { it.check == 'webhook' }.outcome")).containsExactly("NOT_CHECKED");

            String page = given().cookie("syncline-console", logIn()).when().get("/console/systems")
                    .then().statusCode(200).extract().asString();
            assertThat(page).contains("<tr id=\"system-hubspot\">")
                    .contains("HubSpot has no deal property &#39;dealname&#39;")
                    .contains("<span class=\"status failed\">failed</span>")
                    .contains("hubspot: failed. Each problem says what to fix.");
        } finally {
            hubspot.createProperty("deals", "dealname");
        }
    }

    /** The console's session cookie of the admin's form login. */
    private static String logIn() {
        Response answer = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", "admin").formParam("j_password", PASSWORD)
                .when().post("/j_security_check");
        assertThat(answer.statusCode()).isEqualTo(302);
        return answer.getCookie("syncline-console");
    }
}
