package io.syncline.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.InboxBacklog;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.RouteFolders;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * References on the real-time path (src/test/resources/related-routes): CRM companies and contacts
 * into an ERP database whose {@code rel_contact.company_code} is a FOREIGN KEY to
 * {@code rel_company.code}, the ERP's own id of a company (the CRM's id in upper case). A contact
 * posted before its company waits, pending, never a dead letter, and lands with the ERP's code
 * once the company is linked; one whose company never comes is held for review after its wait;
 * a reference with {@code missingParent: empty} is written empty after its wait; one with
 * {@code missingParent: sync} has its company fetched from the CRM (a stub) and written first.
 */
@QuarkusTest
@WithTestResource(RelatedRecordsTest.Tables.class)
public class RelatedRecordsTest {

    /**
     * The test database, with the ERP's two tables and the foreign keys between them, the CRM
     * database's and the ERP's accounts and persons of RelatedReconciliationTest, and the CRM's
     * stub, whose address is written over the model's {@code https://crm.example.com}.
     */
    public static class Tables extends PostgresDatabaseResource {

        private CrmStub crm;
        private Path routes;

        @Override
        public Map<String, String> start() {
            Map<String, String> settings = new HashMap<>(super.start());
            try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS public.rel_company (code VARCHAR(64) PRIMARY KEY, name VARCHAR(200))");
                statement.execute("CREATE TABLE IF NOT EXISTS public.rel_contact (id VARCHAR(64) PRIMARY KEY, email VARCHAR(320),"
                        + " company_code VARCHAR(64) REFERENCES public.rel_company (code),"
                        + " referrer_code VARCHAR(64) REFERENCES public.rel_company (code))");
                statement.execute("ALTER TABLE public.rel_contact ADD COLUMN IF NOT EXISTS account_code VARCHAR(64)"
                        + " REFERENCES public.rel_company (code)");
                statement.execute("CREATE TABLE IF NOT EXISTS public.rel_crm_account (id VARCHAR(64) PRIMARY KEY, name VARCHAR(200))");
                statement.execute("CREATE TABLE IF NOT EXISTS public.rel_crm_person (id VARCHAR(64) PRIMARY KEY, email VARCHAR(320),"
                        + " account_id VARCHAR(64))");
                statement.execute("CREATE TABLE IF NOT EXISTS public.rel_erp_account (code VARCHAR(64) PRIMARY KEY, name VARCHAR(200))");
                statement.execute("CREATE TABLE IF NOT EXISTS public.rel_erp_person (id VARCHAR(64) PRIMARY KEY, email VARCHAR(320),"
                        + " account_code VARCHAR(64))");
                statement.execute("CREATE TABLE IF NOT EXISTS public.rel_product (code VARCHAR(64) PRIMARY KEY, name VARCHAR(200))");
                statement.execute("CREATE TABLE IF NOT EXISTS public.rel_invoice (id VARCHAR(64) PRIMARY KEY, total NUMERIC(12, 2),"
                        + " lines JSONB)");
                statement.execute("CREATE TABLE IF NOT EXISTS public.rel_orders (id VARCHAR(64) PRIMARY KEY, note VARCHAR(200))");
                statement.execute("CREATE TABLE IF NOT EXISTS public.rel_order_lines (order_id VARCHAR(64) NOT NULL REFERENCES"
                        + " public.rel_orders (id), line_no INTEGER NOT NULL, product_code VARCHAR(64) REFERENCES public.rel_product (code),"
                        + " quantity NUMERIC(12, 2), PRIMARY KEY (order_id, line_no))");
                statement.execute("CREATE TABLE IF NOT EXISTS public.rel_crm_order (id VARCHAR(64) PRIMARY KEY, note VARCHAR(200),"
                        + " lines JSONB)");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            crm = new CrmStub();
            routes = RouteFolders.copyWithAddress(Path.of("src/test/resources/related-routes"), "https://crm.example.com",
                    crm.baseUrl());
            settings.put("syncline.routes.location", routes.toString());
            return settings;
        }

        @Override
        public void inject(TestInjector testInjector) {
            testInjector.injectIntoFields(crm, new TestInjector.MatchesType(CrmStub.class));
        }

        @Override
        public void stop() {
            crm.close();
            RouteFolders.delete(routes);
        }
    }

    /** The CRM's companies by id: {@code GET /api/v3/companies/{id}}, 404 for one it does not have. */
    public static final class CrmStub implements AutoCloseable {

        private static final String COMPANIES = "/api/v3/companies/";
        private static final ObjectMapper JSON = new ObjectMapper();

        private final HttpServer server;
        final Map<String, Map<String, Object>> companies = new ConcurrentHashMap<>();
        final List<String> requests = new CopyOnWriteArrayList<>();

        CrmStub() {
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext(COMPANIES, this::company);
            server.start();
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void company(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                requests.add(exchange.getRequestMethod() + " " + path);
                Map<String, Object> company = "GET".equals(exchange.getRequestMethod())
                        ? companies.get(path.substring(COMPANIES.length())) : null;
                byte[] body = JSON.writeValueAsBytes(company != null ? company : Map.of("message", "company not found"));
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(company != null ? 200 : 404, body.length);
                exchange.getResponseBody().write(body);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    CrmStub crm;
    @Inject
    MeterRegistry meters;

    private static final Pattern WAITING = Pattern.compile("(?m)^syncline_inbox_waiting_for_parent(?:\\{[^}]*})? ([0-9.E+-]+)$");

    private static long post(String path, Map<String, Object> body) {
        Integer inboxId = given().contentType(ContentType.JSON).body(body).when().post(path)
                .then().statusCode(202).extract().path("inboxId");
        return inboxId.longValue();
    }

    private static long company(String id, String name) {
        return post("/webhooks/related/companies", Map.of("id", id, "name", name));
    }

    private static long contact(Map<String, Object> contact) {
        return post("/webhooks/related/contacts", contact);
    }

    private static double waitingGauge() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher gauge = WAITING.matcher(metrics);
        return gauge.find() ? Double.parseDouble(gauge.group(1)) : -1;
    }

    /** The console overview's count of events waiting for a parent, in the row of the entity from the source. */
    private static long consoleWaitingForParents(String entity, String source) {
        String session = given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", "admin").formParam("j_password", "test-only-password")
                .when().post("/j_security_check").then().statusCode(302).extract().cookie("syncline-console");
        String page = given().cookie("syncline-console", session).when().get("/console").then().statusCode(200)
                .extract().asString();
        // accepted, applied, failed (a link), inbox depth, then waiting for a parent
        Matcher row = Pattern.compile("<th scope=\"row\">" + entity + "</th><td>" + source + "</td>\\s*"
                + "<td class=\"num\">[^<]*</td>\\s*<td class=\"num\">[^<]*</td>\\s*<td class=\"num\"><a[^>]*>[^<]*</a></td>\\s*"
                + "<td class=\"num\">\\d+</td>\\s*<td class=\"num\">(\\d+)</td>").matcher(page);
        assertThat(row.find()).as("the overview's row of %s from %s", entity, source).isTrue();
        return Long.parseLong(row.group(1));
    }

    private static List<Map<String, Object>> erpContact(String id) {
        return TestDatabase.query("SELECT company_code, referrer_code FROM rel_contact WHERE id = ?", id);
    }

    /** The reason of the contact's one review item, a held record. */
    private static String heldReason(String contactId) {
        List<Map<String, Object>> items = TestDatabase.query("SELECT kind, reason FROM review_item WHERE entity = 'contact'"
                + " AND source_id = ?", contactId);
        assertThat(items).singleElement().satisfies(item -> assertThat(item).containsEntry("kind", "held_record"));
        return (String) items.get(0).get("reason");
    }

    private static List<Map<String, Object>> deadLetters(long inboxId) {
        return TestDatabase.query("SELECT id FROM dead_letter WHERE inbox_id = ?", inboxId);
    }

    @Test
    void aContactPostedBeforeItsCompanyWaitsThenLandsWithTheErpsCompanyCode() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String companyId = "co-" + suffix;
        String contactId = "ct-" + suffix;

        long contactEvent = contact(Map.of("id", contactId, "email", contactId + "@example.com", "companyId", companyId));

        // pending, its reason naming the missing company, no attempt counted, nothing written
        List<Map<String, Object>> waiting = TestDatabase.awaitRows("SELECT attempts, last_error FROM inbox WHERE id = ?"
                + " AND status = 'pending' AND last_error LIKE 'waiting for parent: %'", contactEvent);
        assertThat((String) waiting.get(0).get("last_error")).contains("contact.company names company " + companyId + " of crm");
        assertThat(((Number) waiting.get(0).get("attempts")).intValue()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> waitingGauge() >= 1);
        assertThat(erpContact(contactId)).isEmpty();
        // the record's status says what it waits for, where the ERP is not current
        // (each retry takes the event back for a moment: while it is being tried, it is only "not yet applied")
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> reasons = given().auth().preemptive().basic("admin", "test-only-password")
                    .when().get("/admin/records/contact/" + contactId + "?by=crm").then().statusCode(200)
                    .extract().path("systems.erp.reasons");
            assertThat(reasons).anySatisfy(reason -> assertThat(reason)
                    .startsWith("waiting for parent: contact.company names company " + companyId + " of crm, not linked in crm yet"));
        });
        // and the console's overview counts it
        await().atMost(Duration.ofSeconds(10)).until(() -> consoleWaitingForParents("contact", "crm") >= 1);

        long companyEvent = company(companyId, " Analytical Engines ");

        assertThat(DemoWebhook.finalStatus(companyEvent)).isEqualTo("done");
        assertThat(DemoWebhook.finalStatus(contactEvent)).isEqualTo("done");
        assertThat(erpContact(contactId)).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("company_code", companyId.toUpperCase()));
        assertThat(deadLetters(contactEvent)).isEmpty();
        // the canonical record holds the company's canonical id, not an id of either system
        String canonicalCompany = (String) TestDatabase.query("SELECT canonical_id FROM id_map WHERE entity = 'company'"
                + " AND system = 'crm' AND system_id = ?", companyId).get(0).get("canonical_id");
        assertThat(TestDatabase.query("SELECT diff FROM audit_log WHERE inbox_id = ? AND action = 'created'", contactEvent))
                .singleElement().satisfies(row -> assertThat(String.valueOf(row.get("diff")))
                        .contains(canonicalCompany).doesNotContain(companyId.toUpperCase()));

        // an update naming the same company is written again through the links, not held
        long update = contact(Map.of("id", contactId, "email", "new-" + contactId + "@example.com", "companyId", companyId));
        assertThat(DemoWebhook.finalStatus(update)).isEqualTo("done");
        assertThat(TestDatabase.query("SELECT email, company_code FROM rel_contact WHERE id = ?", contactId)).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("email", "new-" + contactId + "@example.com")
                        .containsEntry("company_code", companyId.toUpperCase()));
    }

    @Test
    void aContactWhoseCompanyNeverComesIsHeldForReviewNamingTheCompany() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String contactId = "ct-" + suffix;

        long contactEvent = contact(Map.of("id", contactId, "email", contactId + "@example.com", "companyId", "co-never-" + suffix));

        assertThat(DemoWebhook.finalStatus(contactEvent)).isEqualTo("held");
        assertThat(heldReason(contactId)).contains("company co-never-" + suffix + " of crm").contains("not linked in crm");
        assertThat(deadLetters(contactEvent)).isEmpty();
        assertThat(erpContact(contactId)).isEmpty();
    }

    @Test
    void aReferenceThatMayBeEmptyIsWrittenEmptyAfterItsWait() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String companyId = "co-" + suffix;
        String contactId = "ct-" + suffix;
        assertThat(DemoWebhook.finalStatus(company(companyId, "Difference Engines"))).isEqualTo("done");

        long contactEvent = contact(Map.of("id", contactId, "email", contactId + "@example.com", "companyId", companyId,
                "referredBy", "co-unknown-" + suffix));

        assertThat(DemoWebhook.finalStatus(contactEvent)).isEqualTo("done");
        assertThat(erpContact(contactId)).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("company_code", companyId.toUpperCase());
            assertThat(row.get("referrer_code")).isNull();
        });
        assertThat(deadLetters(contactEvent)).isEmpty();
    }

    @Test
    void aMissingAccountIsFetchedFromTheCrmAndWrittenBeforeItsContacts() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String accountId = "co-fetched-" + suffix;
        crm.companies.put(accountId, Map.of("id", accountId, "name", " Fetched Engines "));

        // two contacts of an account the CRM never posted: it is asked for once
        long first = contact(Map.of("id", "ct-a-" + suffix, "email", "a-" + suffix + "@example.com", "accountId", accountId));
        long second = contact(Map.of("id", "ct-b-" + suffix, "email", "b-" + suffix + "@example.com", "accountId", accountId));

        assertThat(DemoWebhook.finalStatus(first)).isEqualTo("done");
        assertThat(DemoWebhook.finalStatus(second)).isEqualTo("done");
        List<Map<String, Object>> fetched = TestDatabase.query("SELECT id, entity, origin, status FROM inbox WHERE source_system = 'crm'"
                + " AND event_id = ?", "parent:company:crm:" + accountId);
        assertThat(fetched).singleElement().satisfies(event -> assertThat(event).containsEntry("entity", "company")
                .containsEntry("origin", "notice").containsEntry("status", "done"));
        assertThat(crm.requests).containsOnlyOnce("GET /api/v3/companies/" + accountId);
        assertThat(TestDatabase.query("SELECT name FROM rel_company WHERE code = ?", accountId.toUpperCase())).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("name", "Fetched Engines"));
        for (String contactId : List.of("ct-a-" + suffix, "ct-b-" + suffix)) {
            assertThat(TestDatabase.query("SELECT account_code FROM rel_contact WHERE id = ?", contactId)).singleElement()
                    .satisfies(row -> assertThat(row).containsEntry("account_code", accountId.toUpperCase()));
        }
        // the company was written to the ERP before either contact
        long companyWritten = ((Number) TestDatabase.query("SELECT id FROM audit_log WHERE inbox_id = ? AND action = 'created'"
                + " AND target_system = 'erp'", ((Number) fetched.get(0).get("id")).longValue()).get(0).get("id")).longValue();
        assertThat(TestDatabase.query("SELECT id FROM audit_log WHERE inbox_id IN (?, ?) AND action = 'created'", first, second))
                .hasSize(2).allSatisfy(row -> assertThat(((Number) row.get("id")).longValue()).isGreaterThan(companyWritten));
        assertThat(deadLetters(first)).isEmpty();
        assertThat(deadLetters(second)).isEmpty();
    }

    @Test
    void anAccountTheCrmDoesNotHaveSendsItsContactToReviewNamingIt() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String accountId = "co-gone-" + suffix;
        String contactId = "ct-" + suffix;

        long contactEvent = contact(Map.of("id", contactId, "email", contactId + "@example.com", "accountId", accountId));

        // at once, not after the hour's wait
        assertThat(DemoWebhook.finalStatus(contactEvent)).isEqualTo("held");
        assertThat(heldReason(contactId)).contains("contact.account names company " + accountId + " of crm")
                .contains("crm has no company " + accountId).contains("404");
        assertThat(crm.requests).contains("GET /api/v3/companies/" + accountId);
        assertThat(deadLetters(contactEvent)).isEmpty();
        assertThat(erpContact(contactId)).isEmpty();
    }

    @Test
    void contactsOfLinkedCompaniesAreAppliedInBatchesEachWithItsCompanysCode() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        List<String> companies = List.of("co-a-" + suffix, "co-b-" + suffix, "co-c-" + suffix);
        companies.forEach(id -> assertThat(DemoWebhook.finalStatus(company(id, "Company " + id))).isEqualTo("done"));
        double batched = InboxBacklog.batchedEvents(meters, "committed");
        List<Map<String, Object>> contacts = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String id = "ct-" + i + "-" + suffix;
            contacts.add(Map.of("id", id, "email", id + "@example.com", "companyId", companies.get(i % 3)));
        }

        List<Long> events = InboxBacklog.storeIn(TestDatabase.url(), "contact", "crm", "erp", contacts);

        events.forEach(event -> assertThat(DemoWebhook.finalStatus(event)).isEqualTo("done"));
        for (int i = 0; i < contacts.size(); i++) {
            String code = companies.get(i % 3).toUpperCase();
            assertThat(erpContact((String) contacts.get(i).get("id"))).singleElement()
                    .satisfies(row -> assertThat(row).containsEntry("company_code", code));
        }
        // several contacts in one transaction: a reference does not take the batch apply away
        assertThat(InboxBacklog.batchedEvents(meters, "committed") - batched).isGreaterThanOrEqualTo(2);
    }

    @Test
    void contactsStoredBeforeTheirCompaniesInOneBacklogAllLandWithNoDeadLetter() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        List<Map<String, Object>> companies = new ArrayList<>();
        List<Map<String, Object>> contacts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String id = "ct-" + i + "-" + suffix;
            contacts.add(Map.of("id", id, "email", id + "@example.com", "companyId", "co-" + i % 4 + "-" + suffix));
        }
        for (int i = 0; i < 4; i++) {
            companies.add(Map.of("id", "co-" + i + "-" + suffix, "name", "Company " + i));
        }

        List<Long> events = new ArrayList<>(InboxBacklog.storeIn(TestDatabase.url(), "contact", "crm", "erp", contacts));
        events.addAll(InboxBacklog.storeIn(TestDatabase.url(), "company", "crm", "erp", companies));

        events.forEach(event -> assertThat(DemoWebhook.finalStatus(event)).isEqualTo("done"));
        for (Map<String, Object> contact : contacts) {
            String code = ((String) contact.get("companyId")).toUpperCase();
            assertThat(erpContact((String) contact.get("id"))).singleElement()
                    .satisfies(row -> assertThat(row).containsEntry("company_code", code));
            assertThat(TestDatabase.query("SELECT d.id FROM dead_letter d JOIN inbox i ON i.id = d.inbox_id"
                    + " WHERE i.record_key = ?", contact.get("id"))).isEmpty();
        }
    }
}
