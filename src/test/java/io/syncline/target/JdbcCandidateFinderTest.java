package io.syncline.target;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.MatchCandidate;
import io.syncline.sync.SyncModelRegistry;
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
            candidates = new JdbcCandidateFinder(registry.current().transformer()).find(connection, record, "billing");
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
