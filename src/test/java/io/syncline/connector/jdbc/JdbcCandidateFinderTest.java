package io.syncline.connector.jdbc;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.MatchCandidate;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The candidate search on the real billing table: each rule's blocking query brings back its
 * rows with only the field that rule compares, read through the field's transforms; a row
 * found by two rules carries both.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class JdbcCandidateFinderTest {

    @Inject
    SyncModelRegistry registry;

    @Test
    void eachRuleBringsBackItsRowsWithTheFieldItCompares() throws SQLException {
        String tag = UUID.randomUUID().toString().replace("-", "");
        String email = "found." + tag + "@example.com";
        String company = "Qzx" + tag + " Trading";
        billingRow("E-" + tag, "  FOUND." + tag + "@Example.com", "+442079460018", null);
        billingRow("N-" + tag, "other." + tag + "@example.com", "+442079460019", company + " Ltd");
        billingRow("B-" + tag, email, null, company);

        CanonicalRecord record = new CanonicalRecord("contact", "crm", "c-" + tag,
                Map.of("email", email, "company", company + " Limited"), null, null);
        List<MatchCandidate> candidates;
        try (Connection connection = TestDatabase.connect()) {
            candidates = new JdbcCandidateFinder(registry.current()).find(connection, record, "billing");
        }

        // the e-mail's query alone found it: its e-mail as billing stores it, nothing else read
        assertThat(candidate(candidates, "E-" + tag).fields()).containsOnlyKeys("email")
                .containsEntry("email", "  FOUND." + tag + "@Example.com");
        // the company name's neighbourhood alone found it: its company, not its e-mail or phone
        assertThat(candidate(candidates, "N-" + tag).fields()).containsOnlyKeys("company")
                .containsEntry("company", company + " Ltd");
        // found by both: both fields, the row once
        assertThat(candidate(candidates, "B-" + tag).fields()).containsOnlyKeys("email", "company");
        assertThat(candidates).extracting(MatchCandidate::systemId).doesNotHaveDuplicates();
    }

    @Test
    void recordsSearchedTogetherEachGetTheRowsTheirOwnQueriesFound() throws SQLException {
        String tag = UUID.randomUUID().toString().replace("-", "");
        String phone = "+44207" + (1_000_000 + Math.floorMod(tag.hashCode(), 8_999_999));
        billingRow("A-" + tag, "a." + tag + "@example.com", null, null);
        billingRow("B-" + tag, "b." + tag + "@example.com", null, null);
        billingRow("P-" + tag, "p." + tag + "@example.com", phone, null);

        CanonicalRecord first = new CanonicalRecord("contact", "crm", "a-" + tag,
                Map.of("email", "a." + tag + "@example.com", "phone", phone), null, null);
        CanonicalRecord second = new CanonicalRecord("contact", "crm", "b-" + tag,
                Map.of("email", "b." + tag + "@example.com", "phone", phone), null, null);
        CanonicalRecord alone = new CanonicalRecord("contact", "crm", "n-" + tag, Map.of("firstName", "Nobody"), null, null);
        List<List<MatchCandidate>> found;
        try (Connection connection = TestDatabase.connect()) {
            found = new JdbcCandidateFinder(registry.current())
                    .findAll(connection, List.of(first, second, alone), "billing");
        }

        // each record's own e-mail row, never the other's; the row sharing their phone, for both
        assertThat(found).hasSize(3);
        assertThat(found.get(0)).extracting(MatchCandidate::systemId).contains("A-" + tag, "P-" + tag).doesNotContain("B-" + tag);
        assertThat(found.get(1)).extracting(MatchCandidate::systemId).contains("B-" + tag, "P-" + tag).doesNotContain("A-" + tag);
        assertThat(candidate(found.get(0), "P-" + tag).fields()).containsOnlyKeys("phone");
        // a record with nothing to block on has no candidates, in its own place
        assertThat(found.get(2)).isEmpty();
    }

    private static MatchCandidate candidate(List<MatchCandidate> candidates, String id) {
        return candidates.stream().filter(candidate -> candidate.systemId().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError(id + " not among the candidates " + candidates));
    }

    private static void billingRow(String externalId, String email, String phone, String company) throws SQLException {
        try (Connection connection = TestDatabase.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO demo_contact (external_id, email, last_name, phone, company) VALUES (?, ?, 'Existing', ?, ?)")) {
            insert.setString(1, externalId);
            insert.setString(2, email);
            insert.setString(3, phone);
            insert.setString(4, company);
            insert.executeUpdate();
        }
    }
}
