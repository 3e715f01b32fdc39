package io.syncline.connector.stripe;

import io.syncline.connector.spi.SearchTerms;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The query Stripe's Search API is asked, from the terms of an entity's match rules. */
class StripeSearchQueryTest {

    @Test
    void eachSearchableTermIsAClauseAndTheClausesAreOred() {
        assertThat(StripeSystemType.query(List.of(new SearchTerms.Term("email", "ada@example.com"),
                new SearchTerms.Term("metadata.crm_id", "c-1"))))
                .isEqualTo("email:'ada@example.com' OR metadata['crm_id']:'c-1'");
    }

    @Test
    void quotesInAValueAreEscapedAndPathsStripeCannotSearchAreLeftOut() {
        assertThat(StripeSystemType.query(List.of(new SearchTerms.Term("email", "o'hara\\x@example.com"),
                new SearchTerms.Term("address.city", "Paris"))))
                .isEqualTo("email:'o\\'hara\\\\x@example.com'");
        assertThat(StripeSystemType.query(List.of(new SearchTerms.Term("description", "x")))).isNull();
    }
}
