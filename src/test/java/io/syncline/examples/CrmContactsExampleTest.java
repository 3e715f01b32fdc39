package io.syncline.examples;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.Examples;
import io.syncline.testsupport.HubSpotDescriptions;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.HubSpotWebhooks;
import io.syncline.testsupport.MariaDbTestDatabase;
import io.syncline.testsupport.RouteFolders;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.ZendeskStub;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The crm-contacts example (examples/crm-contacts) as it is shipped: HubSpot's signed thin contact
 * events, each contact fetched from HubSpot, into billing's table on the real MariaDB and into
 * Zendesk users, HubSpot and Zendesk being the stubs of their presets. A contact Zendesk already
 * has is linked by its e-mail, not created twice; a contact in HubSpot's stage "other" is
 * refused by the example's rule for both targets; a phone changed in HubSpot reaches both; a
 * badly signed request is refused. Each system ends with the contacts it should have, once.
 */
@QuarkusTest
@WithTestResource(CrmContactsExampleTest.World.class)
class CrmContactsExampleTest {

    static final String EXAMPLE = "crm-contacts";
    static final String DATABASE = Examples.databaseOf(EXAMPLE);
    static final String HUBSPOT_TOKEN = "pat-na1-example-0000";
    static final String HUBSPOT_SECRET = "hubspot-client-secret-example";
    static final String ZENDESK_EMAIL = "sync@example.com";
    static final String ZENDESK_TOKEN = "zd-example-token-0000";
    static final String WEBHOOK = "/webhooks/hubspot/contacts";

    /** HubSpot and Zendesk stubs, billing's table on MariaDB (the example's billing-schema.sql), and a state store of its own. */
    public static class World implements QuarkusTestResourceLifecycleManager {

        private HubSpotStub hubspot;
        private ZendeskStub zendesk;
        private Path routes;

        @Override
        public Map<String, String> start() {
            hubspot = HubSpotStub.start().acceptBearer(HUBSPOT_TOKEN);
            zendesk = ZendeskStub.start(ZENDESK_EMAIL, ZENDESK_TOKEN);
            MariaDbTestDatabase.ensure();
            MariaDbTestDatabase.execute("DROP TABLE IF EXISTS crm_contact");
            MariaDbTestDatabase.execute(Examples.statements(EXAMPLE, "billing-schema.sql"));
            Map<String, String> account = MariaDbTestDatabase.createApplicationUser();
            routes = Examples.copy(EXAMPLE, Map.of("https://api.hubapi.com", hubspot.baseUrl(),
                    "https://your-subdomain.zendesk.com", zendesk.baseUrl()));
            Map<String, String> settings = new HashMap<>(Examples.store(EXAMPLE, routes));
            settings.putAll(Map.of("HUBSPOT_TOKEN", HUBSPOT_TOKEN, "HUBSPOT_CLIENT_SECRET", HUBSPOT_SECRET,
                    "ZENDESK_USER", ZENDESK_EMAIL + "/token", "ZENDESK_API_TOKEN", ZENDESK_TOKEN,
                    "BILLING_DB_URL", MariaDbTestDatabase.url(), "BILLING_DB_USER", account.get("user"),
                    "BILLING_DB_PASSWORD", account.get("password")));
            return settings;
        }

        @Override
        public void inject(TestInjector testInjector) {
            testInjector.injectIntoFields(hubspot, new TestInjector.MatchesType(HubSpotStub.class));
            testInjector.injectIntoFields(zendesk, new TestInjector.MatchesType(ZendeskStub.class));
        }

        @Override
        public void stop() {
            hubspot.close();
            zendesk.close();
            RouteFolders.delete(routes);
        }
    }

    HubSpotStub hubspot;
    ZendeskStub zendesk;

    private static List<Map<String, Object>> billing(String id) {
        return MariaDbTestDatabase.query("SELECT email, first_name, last_name, phone_number, company_name, status"
                + " FROM crm_contact WHERE external_id = ?", id);
    }

    private static long count(String sql, Object... parameters) {
        return ((Number) TestDatabase.queryOn(DATABASE, sql, parameters).get(0).get("n")).longValue();
    }

    private static void awaitSettled(long events) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(count("SELECT count(*) AS n FROM inbox"
                + " WHERE status IN ('done', 'dead')")).isEqualTo(events));
    }

    @Test
    void hubSpotContactsReachBillingAndZendeskOnceEach() throws Exception {
        String jane = hubspot.add(new HashMap<>(Map.of("email", "jane.smith@acme.example", "firstname", "Jane",
                "lastname", "Smith", "phone", "(415) 555-1234", "company", "Acme Corp", "lifecyclestage", "customer")));
        String bob = hubspot.add(Map.of("email", "bob.jones@globex.example", "firstname", "Bob", "lastname", "Jones",
                "company", "Globex", "lifecyclestage", "lead"));
        String other = hubspot.add(Map.of("email", "vendor@initech.example", "firstname", "Val", "lastname", "Vendor",
                "lifecyclestage", "other"));
        // the support desk knows Jane already, from a ticket she opened
        String janeInZendesk = zendesk.add(Map.of("name", "Jane Smith", "email", "jane.smith@acme.example"));
        String created = "[" + HubSpotWebhooks.creation(9_001, jane) + "," + HubSpotWebhooks.creation(9_002, bob) + ","
                + HubSpotWebhooks.creation(9_003, other) + "]";

        assertThat(HubSpotWebhooks.post(WEBHOOK, created, "not-the-client-secret").statusCode()).isEqualTo(401);
        assertThat(HubSpotWebhooks.post(WEBHOOK, created, HUBSPOT_SECRET).statusCode()).isEqualTo(202);
        awaitSettled(3);

        assertThat(billing(jane)).singleElement().satisfies(row -> assertThat(row).containsEntry("email", "jane.smith@acme.example")
                .containsEntry("first_name", "Jane").containsEntry("last_name", "Smith").containsEntry("phone_number", "+14155551234")
                .containsEntry("company_name", "Acme Corp").containsEntry("status", "active"));
        assertThat(billing(bob)).singleElement().satisfies(row -> assertThat(row).containsEntry("status", "prospect"));
        assertThat(billing(other)).isEmpty();
        assertThat(zendesk.withEmail("jane.smith@acme.example")).containsExactly(janeInZendesk);
        assertThat(zendesk.user(janeInZendesk)).containsEntry("external_id", jane).containsEntry("phone", "+14155551234");
        assertThat(zendesk.withEmail("bob.jones@globex.example")).singleElement()
                .satisfies(id -> assertThat(zendesk.user(id)).containsEntry("name", "Bob Jones").containsEntry("external_id", bob));
        assertThat(zendesk.withEmail("vendor@initech.example")).isEmpty();
        // the rule refused the third contact: its event is one dead letter naming the rule, and no target has it
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT reason FROM dead_letter WHERE entity = 'contact'"))
                .singleElement().satisfies(row -> assertThat((String) row.get("reason"))
                        .contains(other).contains("rejected by rule notProspectOrCustomer"));

        // Jane's new phone, entered in HubSpot, follows to both
        hubspot.contact(jane).put("phone", "+1 415 555 9999");
        String changed = "[" + HubSpotWebhooks.propertyChange(9_004, jane, "phone", "+1 415 555 9999") + "]";
        assertThat(HubSpotWebhooks.post(WEBHOOK, changed, HUBSPOT_SECRET).statusCode()).isEqualTo(202);
        awaitSettled(4);
        assertThat(billing(jane)).singleElement().satisfies(row -> assertThat(row).containsEntry("phone_number", "+14155559999"));
        assertThat(zendesk.user(janeInZendesk)).containsEntry("phone", "+14155559999");

        // nothing lost, nothing doubled: two contacts in each system, each linked once
        assertThat(MariaDbTestDatabase.query("SELECT count(*) AS n FROM crm_contact").get(0).get("n")).isEqualTo(2L);
        assertThat(zendesk.received("POST", ZendeskStub.USERS)).hasSize(1);
        for (String system : List.of("billing", "zendesk")) {
            assertThat(count("SELECT count(*) AS n FROM id_map WHERE entity = 'contact' AND system = ?", system))
                    .as(system).isEqualTo(2);
        }
        assertThat(count("SELECT count(*) AS n FROM inbox WHERE status = 'done'")).isEqualTo(3);
        assertThat(count("SELECT count(*) AS n FROM inbox WHERE status = 'dead'")).isEqualTo(1);
        // per target: two creates in billing; in Zendesk one create and Jane's user linked by her e-mail; then the phone twice
        assertThat(TestDatabase.queryOn(DATABASE, "SELECT target_system || ' ' || action AS done, count(*) AS n FROM audit_log"
                + " WHERE target_system IS NOT NULL GROUP BY 1 ORDER BY 1")).extracting(row -> row.get("done") + " " + row.get("n"))
                .containsExactly("billing created 2", "billing updated 1", "zendesk created 1", "zendesk updated 2");
        assertThat(HubSpotDescriptions.violations(hubspot.received())).as("checked against %s", HubSpotDescriptions.used())
                .isEmpty();
        assertThat(hubspot.received()).allSatisfy(request -> assertThat(request.header("Authorization"))
                .isEqualTo("Bearer " + HUBSPOT_TOKEN));
    }
}
