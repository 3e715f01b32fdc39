package io.syncline.testsupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The check itself, on HubSpot's description of the CRM contacts API and on Stripe's form-encoded
 * customers API: what it lets through and what it names. The HubSpot cases run on the excerpt kept
 * here and on the pinned description as {@link PublishedDescriptions} finds it (the whole one where
 * it is placed), so a clean clone's fallback is shown to catch what the whole description catches.
 */
class ApiDescriptionTest {

    private static final ApiDescription HUBSPOT = ApiDescription.published("hubspot/contacts.json");
    private static final ApiDescription HUBSPOT_EXCERPT = ApiDescription.kept("hubspot-crm-contacts-v3.json");
    private static final ApiDescription STRIPE = ApiDescription.kept("stripe-customers.json");
    private static final Map<String, List<String>> FORM = Map.of("Authorization", List.of("Bearer rk_test_1"),
            "Content-Type", List.of("application/x-www-form-urlencoded"), "Idempotency-Key", List.of("syncline-1"));
    private static final Map<String, List<String>> JSON = Map.of("Authorization", List.of("Bearer pat-1"),
            "Content-Type", List.of("application/json"));

    static Stream<ApiDescription> hubspot() {
        return Stream.of(HUBSPOT, HUBSPOT_EXCERPT);
    }

    @Test
    void theDescriptionUsedIsNamed() {
        assertThat(HUBSPOT_EXCERPT.whole()).isFalse();
        assertThat(HUBSPOT_EXCERPT.violations("POST", "/crm/v3/objects/contacts", null, JSON, "{\"properties\": {}}"))
                .singleElement().asString().contains("(hubspot-crm-contacts-v3.json)");
        assertThat(HUBSPOT.used()).startsWith(HUBSPOT.whole()
                ? "the whole hubspot/contacts.json at " : "the excerpt hubspot-crm-contacts-v3.json; the whole hubspot/contacts.json is not placed");
    }

    @ParameterizedTest
    @MethodSource("hubspot")
    void aCreateWithAssociationsFitsTheDescription(ApiDescription hubspot) {
        assertThat(hubspot.violations("POST", "/crm/v3/objects/contacts", null, JSON,
                "{\"properties\": {\"email\": \"a@example.com\"}, \"associations\": []}")).isEmpty();
        assertThat(hubspot.violations("POST", "/crm/v3/objects/contacts/batch/create", null, JSON,
                "{\"inputs\": [{\"properties\": {\"email\": \"a@example.com\"}, \"associations\": []}]}")).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("hubspot")
    void aCreateWithoutAssociationsIsNamed(ApiDescription hubspot) {
        assertThat(hubspot.violations("POST", "/crm/v3/objects/contacts", null, JSON,
                "{\"properties\": {\"email\": \"a@example.com\"}}"))
                .singleElement().asString().contains("associations");
        assertThat(hubspot.violations("POST", "/crm/v3/objects/contacts/batch/create", null, JSON,
                "{\"inputs\": [{\"properties\": {\"email\": \"a@example.com\"}}]}"))
                .singleElement().asString().contains("associations");
    }

    @ParameterizedTest
    @MethodSource("hubspot")
    void anUnknownPathAWrongTypeAndAMissingParameterAreNamed(ApiDescription hubspot) {
        assertThat(hubspot.violations("POST", "/crm/v3/objects/contacts/bulk", null, JSON, "{}")).isNotEmpty();
        assertThat(hubspot.violations("GET", "/crm/v3/objects/contacts", "limit=many", JSON, null))
                .singleElement().asString().contains("limit");
        assertThat(hubspot.violations("POST", "/crm/v3/objects/contacts/batch/update", null, JSON,
                "{\"inputs\": [{\"properties\": {\"email\": \"a@example.com\"}}]}"))
                .singleElement().asString().contains("id");
    }

    /** Notion's description is OpenAPI 3.1: its checks hold (a create's required parent, an operation it has not). */
    @Test
    void notionsDescriptionRefusesACreateWithoutItsParentAndAnOperationItHasNot() {
        ApiDescription notion = ApiDescription.published("notion/notion-openapi.json");
        assertThat(notion.violations("POST", "/v1/pages", null, JSON, "{\"parent\": {\"type\": \"database_id\","
                + " \"database_id\": \"248104cd-477e-80fd-b757-e945d38000bd\"}, \"properties\": {}}")).isEmpty();
        assertThat(notion.violations("POST", "/v1/pages", null, JSON, "{\"properties\": {}}")).isNotEmpty();
        assertThat(notion.violations("POST", "/v1/databases/248104cd-477e-80fd-b757-e945d38000bd/query", null, JSON, "{}"))
                .isNotEmpty();
    }

    @Test
    void aFormBodyWithNestedMembersInBracketsIsCheckedAsTheTreeItEncodes() {
        assertThat(STRIPE.violations("POST", "/v1/customers", null, FORM,
                "email=a%40example.com&name=Ada&address%5Bcity%5D=Lyon&metadata%5Bcrm_id%5D=c-1&balance=12")).isEmpty();
        assertThat(STRIPE.violations("POST", "/v1/customers/cus_1", null, FORM, "phone=&address%5Bline1%5D=1+Rue")).isEmpty();
        assertThat(STRIPE.violations("POST", "/v1/customers/cus_1", null, FORM, "phone=0612&address%5Bpostal_code%5D=69001")).isEmpty();
        assertThat(STRIPE.violations("POST", "/v1/customers", null, FORM, "emial=a%40example.com"))
                .singleElement().asString().contains("emial");
        assertThat(STRIPE.violations("POST", "/v1/customers", null, FORM, "name=Ada&address%5Btown%5D=Lyon"))
                .singleElement().asString().contains("town");
        assertThat(STRIPE.violations("POST", "/v1/customers", null, FORM, "balance=twelve"))
                .singleElement().asString().contains("balance");
    }
}
