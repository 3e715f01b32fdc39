package io.syncline.testsupport;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract check itself, on Stripe's form-encoded customers API: what it lets through and what it names. */
class OpenApiContractTest {

    private static final OpenApiContract STRIPE = OpenApiContract.load("stripe-customers.json");
    private static final Map<String, List<String>> FORM_HEADERS = Map.of("Authorization", List.of("Bearer rk_test_1"),
            "Content-Type", List.of("application/x-www-form-urlencoded"), "Idempotency-Key", List.of("syncline-1"));

    @Test
    void aFormBodyWithNestedMembersInBracketsFitsTheSchema() {
        assertThat(STRIPE.violations("POST", "/v1/customers", null, FORM_HEADERS,
                "email=a%40example.com&name=Ada&address%5Bcity%5D=Lyon&metadata%5Bcrm_id%5D=c-1&balance=12")).isEmpty();
        assertThat(STRIPE.violations("POST", "/v1/customers/cus_1", null, FORM_HEADERS, "phone=&address%5Bline1%5D=1+Rue")).isEmpty();
    }

    @Test
    void anUnknownParameterAWrongTypeAndAMissingKeyAreNamed() {
        assertThat(STRIPE.violations("POST", "/v1/customers", null, FORM_HEADERS, "emial=a%40example.com"))
                .singleElement().asString().contains("member emial is not in the description");
        assertThat(STRIPE.violations("POST", "/v1/customers", null, FORM_HEADERS, "balance=twelve"))
                .singleElement().asString().contains("balance");
        assertThat(STRIPE.violations("POST", "/v1/customers", null, FORM_HEADERS, "address%5Btown%5D=Lyon"))
                .singleElement().asString().contains("town");
        assertThat(STRIPE.violations("POST", "/v1/customers", null, Map.of("Authorization", List.of("Bearer rk_test_1"),
                "Content-Type", List.of("application/x-www-form-urlencoded")), "name=Ada"))
                .singleElement().asString().contains("Idempotency-Key");
    }

    @Test
    void aListAskingForMoreThanAHundredIsNamed() {
        Map<String, List<String>> headers = Map.of("Authorization", List.of("Bearer rk_test_1"));
        assertThat(STRIPE.violations("GET", "/v1/customers", "limit=100&starting_after=cus_1", headers, "")).isEmpty();
        assertThat(STRIPE.violations("GET", "/v1/customers", "limit=500", headers, ""))
                .singleElement().asString().contains("over the maximum 100");
    }
}
