package io.syncline.matching;

import io.syncline.mapping.CanonicalRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Matching against a corpus of messy duplicates: which rule matched, and ambiguity held. */
class RecordMatcherTest {

    private static final Map<String, Map<String, String>> ID_MAP = Map.of("canon-7", Map.of("billing", "B-7"));

    private final RecordMatcher matcher = new RecordMatcher(List.of(
            new IdMapRule((entity, canonicalId, system) -> Optional.ofNullable(ID_MAP.getOrDefault(canonicalId, Map.of()).get(system))),
            FieldEqualityRule.externalId("crmId"),
            FieldEqualityRule.email("email"),
            FieldEqualityRule.phone("phone", "GB"),
            new FuzzyNameRule("company", 0.92)));

    /** Billing's customers, as canonical records. */
    private static final List<MatchCandidate> BILLING = List.of(
            candidate("B-1", "crmId", "", "email", "ada@acme.example", "phone", "+442079460018", "company", "ACME Corporation"),
            candidate("B-2", "crmId", "CRM-2", "email", "grace@navy.example", "phone", "", "company", "US Navy"),
            candidate("B-3", "email", "shared@example.com", "company", "Globex Ltd"),
            candidate("B-4", "email", "shared@example.com", "company", "Initech LLC"),
            candidate("B-5", "phone", "+14155552671", "company", "Umbrella plc"),
            candidate("B-6", "company", "Stark Industries"),
            candidate("B-7", "company", "Wayne Enterprises"),
            candidate("B-8", "company", "Acme Corp."));

    private static MatchCandidate candidate(String id, String... pairs) {
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put(pairs[i], pairs[i + 1].isEmpty() ? null : pairs[i + 1]);
        }
        return new MatchCandidate(id, fields);
    }

    private static CanonicalRecord crm(String canonicalId, String... pairs) {
        return new CanonicalRecord("contact", "crm", "c-x", candidate("c-x", pairs).fields(), "hash", canonicalId);
    }

    private MatchResult match(CanonicalRecord record) {
        return matcher.match(record, "billing", BILLING);
    }

    @Test
    void idMapIsTriedFirstWithFullConfidence() {
        MatchResult result = match(crm("canon-7", "email", "ada@acme.example"));
        assertThat(result.outcome()).isEqualTo(MatchResult.Outcome.MATCHED);
        assertThat(result.rule()).isEqualTo("idMap");
        assertThat(result.confidence()).isEqualTo(1.0);
        assertThat(result.match().systemId()).isEqualTo("B-7");
    }

    @Test
    void recordKnownToTheIdMapCostsNoSearchOfTheTarget() {
        MatchResult result = matcher.match(crm("canon-7", "email", "ada@acme.example"), "billing",
                () -> {
                    throw new AssertionError("candidates must not be loaded when the ID map knows the record");
                });
        assertThat(result.rule()).isEqualTo("idMap");
        assertThat(result.match().systemId()).isEqualTo("B-7");
    }

    @Test
    void externalIdBeatsEmail() {
        MatchResult result = match(crm(null, "crmId", " CRM-2 ", "email", "ada@acme.example"));
        assertThat(result.rule()).isEqualTo("externalId");
        assertThat(result.match().systemId()).isEqualTo("B-2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ada@acme.example", "ADA@ACME.EXAMPLE", "  Ada@Acme.Example ", "\tada@acme.example\n"})
    void emailsDifferingInCaseAndWhitespaceMatch(String email) {
        MatchResult result = match(crm(null, "email", email));
        assertThat(result.rule()).isEqualTo("email");
        assertThat(result.confidence()).isEqualTo(0.95);
        assertThat(result.match().systemId()).isEqualTo("B-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"020 7946 0018", "(020) 7946 0018", "+44 20 7946 0018", "0044 20 7946 0018", "020-7946-0018"})
    void phonesInFiveNationalFormatsMatch(String phone) {
        MatchResult result = match(crm(null, "phone", phone));
        assertThat(result.rule()).isEqualTo("phone");
        assertThat(result.match().systemId()).isEqualTo("B-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Umbrella Corp", "Stark Industries Inc.", "WAYNE ENTERPRISES, LLC"})
    void companyNameVariantsMatchFuzzily(String company) {
        MatchResult result = match(crm(null, "company", company));
        assertThat(result.outcome()).isEqualTo(MatchResult.Outcome.MATCHED);
        assertThat(result.rule()).isEqualTo("fuzzyName");
        assertThat(result.confidence()).isGreaterThanOrEqualTo(0.92);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Acme Corp", "ACME Corporation", "Acme Corp.", "acme corp"})
    void acmeVariantsAreAmbiguousBetweenTwoBillingCustomersAndHeld(String company) {
        MatchResult result = match(crm(null, "company", company));
        assertThat(result.outcome()).isEqualTo(MatchResult.Outcome.AMBIGUOUS);
        assertThat(result.rule()).isEqualTo("fuzzyName");
        assertThat(result.candidates()).extracting(MatchCandidate::systemId).containsExactlyInAnyOrder("B-1", "B-8");
    }

    @Test
    void twoCustomersSharingAnEmailAreAmbiguousNotMerged() {
        MatchResult result = match(crm(null, "email", "SHARED@example.com", "company", "Globex Ltd"));
        assertThat(result.outcome()).isEqualTo(MatchResult.Outcome.AMBIGUOUS);
        assertThat(result.rule()).isEqualTo("email");
        assertThat(result.candidates()).extracting(MatchCandidate::systemId).containsExactlyInAnyOrder("B-3", "B-4");
    }

    @Test
    void somethingMerelySimilarIsNoMatch() {
        MatchResult result = match(crm(null, "company", "Acme Industries", "email", "new@example.com", "phone", "not a phone"));
        assertThat(result.outcome()).isEqualTo(MatchResult.Outcome.NONE);
        assertThat(result.candidates()).isEmpty();
    }

    @Test
    void legalFormsPunctuationAndCaseNormaliseAway() {
        assertThat(List.of("Acme Corp", "ACME Corporation", "Acme Corp.", "acme corp", "Acme, Inc."))
                .map(MatchKeys::companyName).containsOnly("acme");
        assertThat(MatchKeys.companyName("Corp")).isEqualTo("corp");
    }
}
