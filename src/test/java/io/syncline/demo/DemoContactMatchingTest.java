package io.syncline.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Matching in the real-time path: a CRM contact new to Syncline is found among billing's
 * existing rows by the model's match rules; an ambiguous match is held, never merged.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class DemoContactMatchingTest {

    private static void billingRow(String externalId, String email, String company) throws SQLException {
        try (Connection connection = TestDatabase.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO demo_contact (external_id, email, last_name, company) VALUES (?, ?, 'Existing', ?)")) {
            insert.setString(1, externalId);
            insert.setString(2, email);
            insert.setString(3, company);
            insert.executeUpdate();
        }
    }

    @Test
    void existingBillingRowIsFoundByEmailAndUpdatedUnderItsOwnKey() throws SQLException {
        String tag = UUID.randomUUID().toString();
        billingRow("B-" + tag, "shared." + tag + "@example.com", null);
        String crmId = "c-" + tag;

        long inboxId = DemoWebhook.accept(
                Map.of("id", crmId, "email", "  SHARED." + tag.toUpperCase() + "@Example.com", "lastName", "Matched"));

        assertThat(DemoWebhook.finalStatus(inboxId)).isEqualTo("done");
        assertThat(TestDatabase.query("SELECT last_name FROM demo_contact WHERE external_id = ?", "B-" + tag))
                .containsExactly(Map.of("last_name", "Matched"));
        assertThat(TestDatabase.query("SELECT 1 FROM demo_contact WHERE external_id = ?", crmId)).isEmpty();
        assertThat(TestDatabase.query("SELECT system_id FROM id_map WHERE entity = 'contact' AND system = 'billing'"
                + " AND canonical_id = (SELECT canonical_id FROM id_map WHERE entity = 'contact' AND system = 'crm' AND system_id = ?)",
                crmId)).containsExactly(Map.of("system_id", "B-" + tag));
    }

    /**
     * Sixty rows whose company names share the first two letters of the contact's, written before
     * the one that fits: the fuzzy name rule still finds it (the rows read are the name's sorted
     * neighbourhood, not an arbitrary 25 of those sharing two letters, which missed it).
     */
    @Test
    void companyIsFoundAmongManyNamesSharingItsFirstLetters() throws SQLException {
        String tag = UUID.randomUUID().toString();
        SplittableRandom random = new SplittableRandom(tag.hashCode());
        for (int i = 0; i < 60; i++) {
            billingRow("D" + i + "-" + tag, "decoy" + i + "." + tag + "@example.com", "Ac" + letters(random, 10));
        }
        String name = "Acme Vortex " + letters(random, 8);
        billingRow("B-" + tag, "accounts." + tag + "@example.com", name + " Ltd");
        String crmId = "c-" + tag;

        long inboxId = DemoWebhook.accept(Map.of("id", crmId, "email", "someone." + tag + "@example.com",
                "lastName", "Fuzzy", "company", Map.of("name", name.toUpperCase() + " Limited")));

        assertThat(DemoWebhook.finalStatus(inboxId)).isEqualTo("done");
        assertThat(TestDatabase.query("SELECT last_name FROM demo_contact WHERE external_id = ?", "B-" + tag))
                .containsExactly(Map.of("last_name", "Fuzzy"));
        assertThat(TestDatabase.query("SELECT 1 FROM demo_contact WHERE external_id = ?", crmId)).isEmpty();
    }

    /** The candidates an ambiguous-match review item shows. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> candidates(Map<String, Object> item) throws JsonProcessingException {
        Map<String, Object> context = (Map<String, Object>) new ObjectMapper().readValue((String) item.get("payload"), Map.class)
                .get("context");
        return (List<Map<String, Object>>) context.get("candidates");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fields(Map<String, Object> candidate) {
        return (Map<String, Object>) candidate.get("fields");
    }

    private static String letters(SplittableRandom random, int length) {
        StringBuilder letters = new StringBuilder();
        for (int i = 0; i < length; i++) {
            letters.append((char) ('a' + random.nextInt(26)));
        }
        return letters.toString();
    }

    @Test
    void twoBillingRowsFittingTheSameContactAreHeldForReview() throws Exception {
        String tag = UUID.randomUUID().toString();
        billingRow("B1-" + tag, "twin." + tag + "@example.com", null);
        billingRow("B2-" + tag, "Twin." + tag + "@example.com", null);
        String crmId = "c-" + tag;

        long inboxId = DemoWebhook.accept(
                Map.of("id", crmId, "email", "twin." + tag + "@example.com", "lastName", "Twin"));

        Map<String, Object> item = TestDatabase.awaitRows("SELECT kind, source_id, payload, reason FROM review_item"
                + " WHERE inbox_id = ?", inboxId).get(0);
        assertThat(item).containsEntry("kind", "ambiguous_match").containsEntry("source_id", crmId);
        assertThat((String) item.get("reason")).contains("2 billing records fit by email");
        // the candidates as whole rows for the person deciding, though the search read only the compared fields
        assertThat(candidates(item)).extracting(candidate -> candidate.get("systemId")).containsExactlyInAnyOrder("B1-" + tag, "B2-" + tag);
        assertThat(candidates(item)).allSatisfy(candidate -> assertThat(fields(candidate))
                .containsEntry("lastName", "Existing").containsKey("email"));
        assertThat(TestDatabase.query("SELECT last_name FROM demo_contact WHERE external_id IN (?, ?, ?)",
                "B1-" + tag, "B2-" + tag, crmId)).allSatisfy(row -> assertThat(row).containsEntry("last_name", "Existing"))
                .hasSize(2);
    }

    @Test
    void rowAlreadyLinkedToAnotherContactIsNotTakenOver() throws Exception {
        String tag = UUID.randomUUID().toString();
        String email = "owned." + tag + "@example.com";
        long first = DemoWebhook.accept(Map.of("id", "c1-" + tag, "email", email, "lastName", "First"));
        assertThat(DemoWebhook.finalStatus(first)).isEqualTo("done");

        long second = DemoWebhook.accept(Map.of("id", "c2-" + tag, "email", email, "lastName", "Second"));

        assertThat(DemoWebhook.finalStatus(second)).isEqualTo("held");
        Map<String, Object> item = TestDatabase.query("SELECT reason, payload FROM review_item WHERE inbox_id = ?", second).get(0);
        assertThat((String) item.get("reason")).contains("already belongs to another contact");
        assertThat(candidates(item)).singleElement().satisfies(candidate -> assertThat(fields(candidate))
                .containsEntry("lastName", "First").containsEntry("email", email));

        assertThat(TestDatabase.query("SELECT last_name FROM demo_contact WHERE external_id = ?", "c1-" + tag))
                .containsExactly(Map.of("last_name", "First"));
    }
}
