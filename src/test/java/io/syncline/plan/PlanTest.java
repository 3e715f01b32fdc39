package io.syncline.plan;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.syncline.testsupport.DeskStub;
import io.syncline.testsupport.DeskStubResource;
import io.syncline.testsupport.RouteFolders;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * A sync plan of a changed model (src/test/resources/plan-candidate) against the running one
 * (plan-routes) over 2,000 ERP customers (PostgreSQL; {@code -Dplan.test.records} sets how many) already in billing (PostgreSQL) and a
 * support desk (a REST API, {@link DeskStub}), each linked in the ID map. The candidate requires
 * the e-mail, upper-cases the city and writes the phone to billing; planted are 300 customers with
 * a phone, 200 with their city in lower case and 5 without an e-mail. The plan reports exactly
 * those, field by field, and a scan of every table of the database (the state store, billing's and
 * the ERP's) and of the desk finds nothing written. {@code bin/syncline plan} exits 2 on the
 * candidate, 0 on the running model (which the targets agree with), 1 on a model with a problem.
 */
@QuarkusTest
@WithTestResource(DeskStubResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlanTest {

    /** 2,000 by default; -Dplan.test.records=10000 plans the size the plan page's example shows. */
    private static final int RECORDS = Integer.getInteger("plan.test.records", 2_000);
    private static final int WITH_PHONE = 300;
    private static final int LOWER_CITY = 200;
    private static final int NO_EMAIL = 5;
    private static final String DATABASE = DeskStubResource.DATABASE_URL;
    private static final String PASSWORD = "test-only-password";

    DeskStub desk;

    /** The database and the desk as planted, before any plan. */
    private static Map<String, String> planted;
    private static Map<String, Map<String, Object>> deskPlanted;
    private static Path candidate;

    private static String key(int i) {
        return "C" + String.format("%05d", i);
    }

    @BeforeEach
    void plant() throws IOException {
        if (planted != null) {
            return;
        }
        // customers 1-300 have a phone, 301-500 a city in lower case, the last 5 no e-mail
        String erpValues = "SELECT 'C' || lpad(i::text, 5, '0'), CASE WHEN i > " + (RECORDS - NO_EMAIL) + " THEN NULL"
                + " ELSE 'c' || i || '@example.com' END, 'Customer ' || i,"
                + " CASE WHEN i > " + WITH_PHONE + " AND i <= " + (WITH_PHONE + LOWER_CITY) + " THEN 'london' ELSE 'LONDON' END,"
                + " CASE WHEN i <= " + WITH_PHONE + " THEN '+44207946' || lpad(i::text, 4, '0') END"
                + " FROM generate_series(1, " + RECORDS + ") AS i";
        sql("DROP TABLE IF EXISTS pl_erp_customer, pl_billing_customer");
        sql("CREATE TABLE pl_erp_customer (id VARCHAR(16) PRIMARY KEY, email VARCHAR(100), name VARCHAR(100),"
                + " city VARCHAR(100), phone VARCHAR(32))");
        sql("CREATE TABLE pl_billing_customer (customer_no VARCHAR(16) PRIMARY KEY, email VARCHAR(100), name VARCHAR(100),"
                + " city VARCHAR(100), phone VARCHAR(32))");
        sql("INSERT INTO pl_erp_customer " + erpValues);
        // billing holds each customer as the running model wrote it: no phone
        sql("INSERT INTO pl_billing_customer (customer_no, email, name, city) SELECT id, email, name, city FROM pl_erp_customer");
        // the desk too, under its own ids D1, D2, …
        for (Map<String, Object> row : TestDatabase.queryOn(DATABASE, "SELECT id, email, name, city FROM pl_erp_customer")) {
            Map<String, Object> customer = new LinkedHashMap<>();
            customer.put("customer_no", row.get("id"));
            customer.put("email", row.get("email"));
            customer.put("name", row.get("name"));
            customer.put("city", row.get("city"));
            desk.put("D" + Integer.parseInt(((String) row.get("id")).substring(1)), customer);
        }
        // each linked in the ID map
        sql("INSERT INTO " + TestDatabase.STORE_SCHEMA + ".id_map (entity, canonical_id, system, system_id)"
                + " SELECT 'customer', 'customer-' || i, s.system, CASE s.system WHEN 'desk' THEN 'D' || i"
                + " ELSE 'C' || lpad(i::text, 5, '0') END FROM generate_series(1, " + RECORDS + ") AS i"
                + " CROSS JOIN (VALUES ('erp'), ('billing'), ('desk')) AS s (system)");
        candidate = RouteFolders.copyWithAddress(Path.of("src/test/resources/plan-candidate"), DeskStubResource.PLACEHOLDER,
                desk.baseUrl());
        planted = scan();
        deskPlanted = desk.customers();
    }

    @AfterAll
    static void removeCandidate() {
        if (candidate != null) {
            RouteFolders.delete(candidate);
        }
    }

    private static void sql(String statement) {
        TestDatabase.updateOn(DATABASE, statement);
    }

    /** A plan of 10,000 records takes longer than the tests' usual answer time. */
    private static RequestSpecification patient() {
        return given().config(RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.socket.timeout", (int) TimeUnit.MINUTES.toMillis(5))));
    }

    private static RequestSpecification admin() {
        return patient().auth().preemptive().basic("admin", PASSWORD);
    }

    /** Each table of the database (the state store's schema and the systems' tables): its rows' count and digest. */
    private static Map<String, String> scan() {
        Map<String, String> tables = new TreeMap<>();
        for (Map<String, Object> table : TestDatabase.queryOn(DATABASE, "SELECT format('%I.%I', table_schema, table_name) AS name"
                + " FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema IN (?, 'public')"
                // the clustered scheduler's own bookkeeping (its check-ins), no state of a sync
                + " AND table_name NOT LIKE 'qrtz%'", TestDatabase.STORE_SCHEMA)) {
            String name = (String) table.get("name");
            // the name comes from the catalog, quoted by format('%I')
            Map<String, Object> digest = TestDatabase.queryOn(DATABASE, "SELECT count(*) AS n,"
                    + " md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM " + name + " AS t").get(0);
            tables.put(name, digest.get("n") + " rows, " + digest.get("digest"));
        }
        return tables;
    }

    /** Nothing written anywhere: every table as planted, the desk's customers as planted and only read. */
    private void assertNothingWritten() {
        assertThat(scan()).isEqualTo(planted);
        assertThat(desk.customers()).isEqualTo(deskPlanted);
        assertThat(desk.requests()).allMatch(request -> request.startsWith("GET /customers/"));
    }

    @Test
    @Order(1)
    void aCandidatePlanReportsEachPlantedChangeFieldByFieldAndWritesNothing() throws IOException {
        JsonPath plan = admin().multiPart("model", candidate.resolve("customers.syncline.yaml").toFile(), "application/yaml")
                .when().post("/admin/plans").then().statusCode(200).extract().jsonPath();

        assertThat(plan.getString("model")).isEqualTo("candidate");
        assertThat(plan.getBoolean("complete")).isTrue();
        assertThat(plan.getBoolean("changes")).isTrue();
        assertThat(plan.getInt("exitCode")).isEqualTo(2);
        assertThat(plan.getList("entities.entity")).containsExactly("customer");
        assertThat(plan.getLong("entities[0].recordsRead")).isEqualTo(RECORDS);
        assertThat(plan.getMap("summary.billing")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "update", WITH_PHONE + LOWER_CITY, "unchanged", RECORDS - WITH_PHONE - LOWER_CITY - NO_EMAIL, "reject", NO_EMAIL));
        assertThat(plan.getMap("summary.desk")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "update", LOWER_CITY, "unchanged", RECORDS - LOWER_CITY - NO_EMAIL, "reject", NO_EMAIL));

        // every line is one of those planted: the phone billing gains, the city upper-cased, the e-mail missing
        List<Map<String, Object>> lines = plan.getList("lines");
        assertThat(lines).hasSize(WITH_PHONE + 2 * LOWER_CITY + 2 * NO_EMAIL);
        Map<String, Object> phone = line(lines, "billing", key(1));
        assertThat(phone).containsEntry("outcome", "update").containsEntry("targetId", key(1)).containsEntry("matchRule", "idMap (1.0)")
                .containsEntry("changes", Map.of("phone", fromTo(null, "+442079460001")));
        Map<String, Object> city = line(lines, "desk", key(WITH_PHONE + 1));
        assertThat(city).containsEntry("outcome", "update").containsEntry("targetId", "D" + (WITH_PHONE + 1))
                .containsEntry("changes", Map.of("city", fromTo("london", "LONDON")));
        assertThat(line(lines, "billing", key(WITH_PHONE + LOWER_CITY))).containsEntry("changes",
                Map.of("city", fromTo("london", "LONDON")));
        Map<String, Object> rejected = line(lines, "desk", key(RECORDS));
        assertThat(rejected).containsEntry("outcome", "reject");
        assertThat((String) rejected.get("reason")).contains("email");
        for (int i = 1; i <= RECORDS; i++) {
            boolean phoned = i <= WITH_PHONE;
            boolean lower = i > WITH_PHONE && i <= WITH_PHONE + LOWER_CITY;
            boolean noEmail = i > RECORDS - NO_EMAIL;
            String expected = noEmail ? "reject" : phoned || lower ? "update" : null;
            assertThat(outcome(lines, "billing", key(i))).as("billing " + key(i)).isEqualTo(expected);
            assertThat(outcome(lines, "desk", key(i))).as("desk " + key(i)).isEqualTo(noEmail ? "reject" : lower ? "update" : null);
        }

        assertNothingWritten();
    }

    @Test
    @Order(2)
    void theAdminApiRefusesWhatItCannotPlan() throws IOException {
        given().when().post("/admin/plans").then().statusCode(401);
        admin().queryParam("entity", "invoice").when().post("/admin/plans").then().statusCode(400)
                .body("error", equalTo("unknown_entity")).body("message", containsString("customer"));
        Path other = Files.createTempFile("plan-other-system", ".syncline.yaml");
        try {
            Files.writeString(other, Files.readString(candidate.resolve("customers.syncline.yaml"))
                    .replace("readBack: true", "readBack: false"));
            admin().multiPart("model", other.toFile(), "application/yaml").when().post("/admin/plans").then().statusCode(422)
                    .body("error", equalTo("system_not_running")).body("message", containsString("desk"));
        } finally {
            Files.delete(other);
        }
        assertNothingWritten();
    }

    /** The command's exit status and what it printed. */
    record Run(int exit, String output) {
    }

    private static Run plan(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of("bin", "syncline").toAbsolutePath().toString(), "plan",
                "--url", "http://localhost:" + RestAssured.port));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SYNCLINE_ADMIN_PASSWORD", PASSWORD);
        builder.environment().put("SYNCLINE_PLAN_MAX_TIME", "300");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("bin/syncline plan ended").isTrue();
        return new Run(process.exitValue(), output);
    }

    @Test
    @Order(3)
    void theCommandExitsTwoOnChangesZeroOnNoneAndOneOnAModelWithAProblem() throws Exception {
        // the first 1,000 customers (the whole table is planned above): 300 with a phone, 200 with a lower-case city
        Run changes = plan(candidate.toString(), "--limit", "1000");
        assertThat(changes.exit()).as(changes.output()).isEqualTo(2);
        assertThat(changes.output())
                .contains("customer from erp: 1000 records read (at most 1000)\n")
                .contains("  billing: 500 update, 500 unchanged\n")
                .contains("  desk: 800 unchanged, 200 update\n")
                .contains("customer C00001 -> billing: update C00001 (matched by idMap (1.0))\n    phone: (empty) -> \"+442079460001\"\n")
                .contains("customer C00301 -> desk: update D301 (matched by idMap (1.0))\n    city: \"london\" -> \"LONDON\"\n")
                .endsWith("CHANGES: 700 writes in billing, desk\n");

        // a sample: the first 100 customers, each with a phone for billing
        Run sample = plan(candidate.toString(), "--limit", "100", "--target", "billing", "--json");
        assertThat(sample.exit()).as(sample.output()).isEqualTo(2);
        JsonPath sampled = JsonPath.from(sample.output());
        assertThat(sampled.getLong("entities[0].recordsRead")).isEqualTo(100);
        assertThat(sampled.getMap("summary")).isEqualTo(Map.of("billing", Map.of("update", 100)));

        // the running model: the targets agree with it
        Run none = plan("--limit", "1000");
        assertThat(none.exit()).as(none.output()).isZero();
        assertThat(none.output()).contains("Plan ").contains(" of the running model, ")
                .contains("  billing: 1000 unchanged\n").contains("  desk: 1000 unchanged\n").endsWith("NO CHANGES\n");

        // a candidate with a problem: no plan
        Path broken = Files.createTempDirectory("plan-broken");
        try {
            Files.writeString(broken.resolve("customers.syncline.yaml"), Files.readString(candidate.resolve("customers.syncline.yaml"))
                    .replace("transforms: [uppercase]", "transforms: [upper-case]"));
            Run refused = plan(broken.toString());
            assertThat(refused.exit()).as(refused.output()).isEqualTo(1);
            assertThat(refused.output()).contains("answered 422").contains("model_invalid").contains("upper-case");
        } finally {
            RouteFolders.delete(broken);
        }

        assertNothingWritten();
    }

    @Test
    @Order(4)
    void theConsoleMakesThePlanFromUploadedFiles() throws IOException {
        String session = logIn();
        given().cookie("syncline-console", session).when().get("/console/plans").then().statusCode(200)
                .body(containsString("enctype=\"multipart/form-data\""));
        String page = patient().cookie("syncline-console", session)
                .multiPart("model", candidate.resolve("customers.syncline.yaml").toFile(), "application/yaml")
                .multiPart("limit", "1000")
                .when().post("/console/plans").then().statusCode(200).extract().asString();
        assertThat(page).contains("of the candidate model (customers.syncline.yaml)")
                .contains("Changes: targets would be written. Nothing has been.")
                .contains("<tr id=\"outcomes-customer-billing\">")
                .contains("<span class=\"status update\">update</span> 500, <span class=\"status unchanged\">unchanged</span> 500")
                .contains("<strong>phone</strong>: (empty) &rarr; +442079460001");
        assertNothingWritten();
    }

    /** The console's session cookie of the admin's form login. */
    private static String logIn() {
        io.restassured.response.Response answer = given().redirects().follow(false)
                .contentType("application/x-www-form-urlencoded").formParam("j_username", "admin")
                .formParam("j_password", PASSWORD).when().post("/j_security_check");
        assertThat(answer.statusCode()).isEqualTo(302);
        return answer.getCookie("syncline-console");
    }

    private static Map<String, Object> fromTo(Object from, Object to) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("from", from);
        change.put("to", to);
        return change;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> line(List<Map<String, Object>> lines, String target, String sourceKey) {
        return lines.stream().filter(line -> target.equals(line.get("target")) && sourceKey.equals(line.get("sourceKey")))
                .findFirst().orElseThrow(() -> new AssertionError("no line for " + sourceKey + " in " + target));
    }

    private static String outcome(List<Map<String, Object>> lines, String target, String sourceKey) {
        return lines.stream().filter(line -> target.equals(line.get("target")) && sourceKey.equals(line.get("sourceKey")))
                .map(line -> (String) line.get("outcome")).findFirst().orElse(null);
    }
}
