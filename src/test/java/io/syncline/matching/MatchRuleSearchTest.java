package io.syncline.matching;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each rule's search of a SQL table: the field, the key it looks up and its WHERE clauses. The
 * clauses are held to their exact text: a JDBC target's search statement is made of them, and a
 * text that changes with the record would be prepared anew for every search.
 */
class MatchRuleSearchTest {

    @Test
    void anEmailIsLookedUpLowerCasedAndTrimmed() {
        MatchRule rule = FieldEqualityRule.email("email");
        assertThat(rule.searchedField()).isEqualTo("email");
        assertThat(rule.searchKey(" Ada@Example.COM ")).isEqualTo("ada@example.com");
        assertThat(rule.searchConditions(rule.searchedExpression("email_address"))).containsExactly("LOWER(TRIM(email_address)) = ? LIMIT 25");
    }

    @Test
    void aPhoneIsLookedUpByItsLastSixDigits() {
        MatchRule rule = FieldEqualityRule.phone("phone", "GB");
        assertThat(rule.searchKey("020 7946 0018")).isEqualTo("460018");
        assertThat(rule.searchKey("12ab")).isNull();
        assertThat(rule.searchConditions(rule.searchedExpression("phone"))).containsExactly("RIGHT(phone, 6) = ? LIMIT 25");
    }

    @Test
    void anExternalIdIsLookedUpAsItIs() {
        MatchRule rule = FieldEqualityRule.externalId("crmId");
        assertThat(rule.searchedField()).isEqualTo("crmId");
        assertThat(rule.searchKey(" c-1 ")).isEqualTo("c-1");
        assertThat(rule.searchConditions(rule.searchedExpression("crm_id"))).containsExactly("crm_id = ? LIMIT 25");
    }

    @Test
    void aCompanyNameIsSearchedInItsSortedNeighbourhood() {
        MatchRule rule = new FuzzyNameRule("company", 0.9);
        assertThat(rule.searchKey("Analytical Engines Ltd")).isEqualTo("analytical engines");
        assertThat(rule.searchConditions(rule.searchedExpression("company"))).containsExactly(
                "LOWER(company) < ? ORDER BY LOWER(company) DESC LIMIT 12",
                "LOWER(company) >= ? ORDER BY LOWER(company) LIMIT 13");
    }

    @Test
    void theIdMapSearchesNoTable() {
        MatchRule rule = new IdMapRule((entity, canonicalId, system) -> Optional.empty());
        assertThat(rule.searchedField()).isNull();
        assertThat(rule.searchConditions(rule.searchedExpression("id"))).isEqualTo(List.of());
    }
}
