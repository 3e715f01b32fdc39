package io.syncline.examples;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.syncline.testsupport.ApiDescription;
import io.syncline.testsupport.Examples;
import io.syncline.testsupport.HubSpotDescriptions;
import io.syncline.testsupport.HubSpotStub;
import io.syncline.testsupport.HubSpotWebhooks;
import io.syncline.testsupport.IntercomStub;
import io.syncline.testsupport.KlaviyoStub;
import io.syncline.testsupport.RouteFolders;
import io.syncline.testsupport.SalesforceStub;
import io.syncline.testsupport.SegmentStub;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The customer-data example (examples/customer-data) as it is shipped, Segment, HubSpot, Intercom,
 * Klaviyo and Salesforce being the stubs of their presets and types: one person known to HubSpot (by
 * her e-mail, phone and company) and to Intercom (her e-mail and a short name) identifies herself to
 * Segment with her full name; the duplicates in HubSpot and Intercom are found by e-mail and merged
 * with Segment's call into the most complete record, which Klaviyo and Salesforce get new. A badly
 * signed call is refused. Each system ends with one record of her, with every value some system had.
 */
@QuarkusTest
@WithTestResource(CustomerDataExampleTest.World.class)
class CustomerDataExampleTest {

    static final String EXAMPLE = "customer-data";
    static final String DATABASE = Examples.databaseOf(EXAMPLE);
    static final String SEGMENT_TOKEN = "sgp_example_access_token";
    static final String SEGMENT_SECRET = "segment-shared-secret-example";
    static final String SEGMENT_SPACE = "spa_your_space";
    static final String HUBSPOT_TOKEN = "pat-na1-example-0000";
    static final String HUBSPOT_SECRET = "hubspot-client-secret-example";
    static final String INTERCOM_TOKEN = "dG9rOmludGVyY29tLWV4YW1wbGU=";
    static final String KLAVIYO_KEY = "pk_example_0000000000000000000000000";
    static final ApiDescription INTERCOM = ApiDescription.published("intercom/api.intercom.io.yaml");
    static final ApiDescription KLAVIYO = ApiDescription.published("klaviyo/stable.json");

    /** The five systems' stubs and a state store of the example's own. */
    public static class World implements QuarkusTestResourceLifecycleManager {

        private SegmentStub segment;
        private HubSpotStub hubspot;
        private IntercomStub intercom;
        private KlaviyoStub klaviyo;
        private SalesforceStub salesforce;
        private Path routes;

        @Override
        public Map<String, String> start() {
            segment = SegmentStub.start(SEGMENT_TOKEN, SEGMENT_SPACE);
            hubspot = HubSpotStub.start().acceptBearer(HUBSPOT_TOKEN);
            intercom = IntercomStub.start(INTERCOM_TOKEN);
            klaviyo = KlaviyoStub.start(KLAVIYO_KEY);
            try {
                salesforce = new SalesforceStub();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // a lead needs a last name and a company, as in every org
            salesforce.fields("Lead", "Email", "FirstName", "LastName", "Phone", "Company");
            salesforce.required("Lead", "LastName", "Company");
            routes = Examples.copy(EXAMPLE, Map.of("https://api.hubapi.com", hubspot.baseUrl(),
                    "https://api.intercom.io", intercom.baseUrl(), "https://a.klaviyo.com", klaviyo.baseUrl(),
                    "https://login.salesforce.com", salesforce.baseUrl(),
                    "https://profiles.segment.com", segment.baseUrl()));
            Map<String, String> settings = new HashMap<>(Examples.store(EXAMPLE, routes));
            settings.putAll(Map.ofEntries(Map.entry("SEGMENT_ACCESS_TOKEN", SEGMENT_TOKEN),
                    Map.entry("SEGMENT_SHARED_SECRET", SEGMENT_SECRET),
                    Map.entry("HUBSPOT_TOKEN", HUBSPOT_TOKEN), Map.entry("HUBSPOT_CLIENT_SECRET", HUBSPOT_SECRET),
                    Map.entry("INTERCOM_ACCESS_TOKEN", INTERCOM_TOKEN),
                    Map.entry("KLAVIYO_PRIVATE_KEY", KLAVIYO_KEY),
                    Map.entry("SF_CLIENT_ID", SalesforceStub.CLIENT_ID), Map.entry("SF_CLIENT_SECRET", SalesforceStub.CLIENT_SECRET)));
            return settings;
        }

        @Override
        public void inject(TestInjector testInjector) {
            testInjector.injectIntoFields(segment, new TestInjector.MatchesType(SegmentStub.class));
            testInjector.injectIntoFields(hubspot, new TestInjector.MatchesType(HubSpotStub.class));
            testInjector.injectIntoFields(intercom, new TestInjector.MatchesType(IntercomStub.class));
            testInjector.injectIntoFields(klaviyo, new TestInjector.MatchesType(KlaviyoStub.class));
            testInjector.injectIntoFields(salesforce, new TestInjector.MatchesType(SalesforceStub.class));
        }

        @Override
        public void stop() {
            segment.close();
            hubspot.close();
            intercom.close();
            klaviyo.close();
            salesforce.close();
            RouteFolders.delete(routes);
        }
    }

    SegmentStub segment;
    HubSpotStub hubspot;
    IntercomStub intercom;
    KlaviyoStub klaviyo;
    SalesforceStub salesforce;

    private static List<Map<String, Object>> query(String sql, Object... parameters) {
        return TestDatabase.queryOn(DATABASE, sql, parameters);
    }

    private static int identify(String body, String signature) {
        return given().contentType(ContentType.JSON).header("X-Signature", signature).body(body)
                .when().post("/webhooks/segment/identify").statusCode();
    }

    private static void awaitSettled(long events) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(query("SELECT count(*) AS n FROM inbox"
                + " WHERE status IN ('done', 'held', 'dead')").get(0).get("n")).isEqualTo(events));
    }

    @Test
    void duplicatesInSegmentHubSpotAndIntercomMergeIntoTheMostCompleteRecord() throws Exception {
        String email = "ada@analytical.example";
        String inHubSpot = hubspot.add(new LinkedHashMap<>(Map.of("email", email, "phone", "+14155550100",
                "company", "Analytical Engines")));
        String inIntercom = intercom.add(Map.of("email", email, "name", "Ada L."));
        String call = SegmentStub.identify("user_123", Map.of("email", "Ada@Analytical.example", "firstName", "Ada",
                "lastName", "Lovelace", "company", "Analytical Engines"));

        assertThat(identify(call, SegmentStub.sign("not-the-shared-secret", call))).isEqualTo(401);
        assertThat(identify(call, SegmentStub.sign(SEGMENT_SECRET, call))).isEqualTo(202);
        awaitSettled(1);

        // HubSpot's and Intercom's records of her were found by e-mail and merged, not doubled
        assertThat(hubspot.find("email", email)).containsExactly(inHubSpot);
        assertThat(hubspot.contact(inHubSpot)).containsEntry("firstname", "Ada").containsEntry("lastname", "Lovelace")
                .containsEntry("phone", "+14155550100").containsEntry("company", "Analytical Engines");
        assertThat(intercom.withEmail(email)).containsExactly(inIntercom);
        assertThat(intercom.contact(inIntercom)).containsEntry("name", "Ada Lovelace");

        // HubSpot's contact, as merged, goes on to the others: her phone reaches Intercom, Klaviyo and Salesforce
        String change = "[" + HubSpotWebhooks.propertyChange(7_001, inHubSpot, "lastname", "Lovelace") + "]";
        assertThat(HubSpotWebhooks.post("/webhooks/hubspot/contacts", change, HUBSPOT_SECRET).statusCode()).isEqualTo(202);
        awaitSettled(2);

        assertThat(intercom.contact(inIntercom)).containsEntry("phone", "+14155550100");
        assertThat(salesforce.records("Lead")).singleElement().satisfies(lead -> assertThat(lead).containsEntry("Email", email)
                .containsEntry("FirstName", "Ada").containsEntry("LastName", "Lovelace").containsEntry("Phone", "+14155550100")
                .containsEntry("Company", "Analytical Engines"));
        String inKlaviyo = (String) query("SELECT system_id FROM id_map WHERE entity = 'customer' AND system = 'klaviyo'")
                .get(0).get("system_id");
        assertThat(klaviyo.profile(inKlaviyo)).containsEntry("email", email).containsEntry("first_name", "Ada")
                .containsEntry("last_name", "Lovelace").containsEntry("phone_number", "+14155550100");

        // one customer, linked once in each of the five systems; both events applied
        assertThat(query("SELECT count(DISTINCT canonical_id) AS n FROM id_map").get(0).get("n")).isEqualTo(1L);
        assertThat(query("SELECT system FROM id_map ORDER BY system")).extracting(row -> row.get("system"))
                .containsExactly("hubspot", "intercom", "klaviyo", "salesforce", "segment");
        assertThat(query("SELECT status, count(*) AS n FROM inbox GROUP BY status")).extracting(row -> row.get("status") + " "
                + row.get("n")).containsExactly("done 2");
        assertThat(HubSpotDescriptions.violations(hubspot.received())).as(HubSpotDescriptions.used()).isEmpty();
        assertThat(INTERCOM.violations(intercom.received())).as(INTERCOM.used()).isEmpty();
        assertThat(KLAVIYO.violations(klaviyo.received())).as(KLAVIYO.used()).isEmpty();
    }
}
