package io.syncline.inbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An event whose data no retry can mend is a dead letter at its first attempt, with the reason:
 * a record of the wrong type (found by the transformer) and a value the target's column refuses
 * (SQLState class 22). The transient class (a target that is down: retried with backoff, applied
 * once it is back) is {@link InboxRetryTest}'s.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class FailureClassesTest {

    /** An event already in the inbox (as a replayed dead letter or an older intake put it there). */
    private static long enqueue(String recordKey, String payload) throws SQLException {
        try (Connection connection = TestDatabase.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO inbox (route_id, apply_endpoint, entity, source_system, record_key, payload)"
                        + " VALUES ('crm-contact-webhook', 'direct:contact-crm-to-billing', 'contact', 'crm', ?, ?)",
                new String[]{"id"})) {
            insert.setString(1, recordKey);
            insert.setString(2, payload);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private static Map<String, Object> deadAtFirstAttempt(long inboxId) {
        await().atMost(Duration.ofSeconds(15)).until(() -> "dead".equals(
                TestDatabase.query("SELECT status FROM inbox WHERE id = ?", inboxId).get(0).get("status")));
        Map<String, Object> event = TestDatabase.query("SELECT attempts FROM inbox WHERE id = ?", inboxId).get(0);
        assertThat(((Number) event.get("attempts")).intValue()).isEqualTo(1);
        return TestDatabase.awaitRows("SELECT reason, attempts FROM dead_letter WHERE inbox_id = ?", inboxId).get(0);
    }

    @Test
    void aRecordIdThatIsAnObjectIsADeadLetterAtOnce() throws SQLException {
        String key = "{type=" + UUID.randomUUID() + "}";
        long inboxId = enqueue(key, "{\"id\":{\"type\":\"" + key + "\"},\"email\":\"typed@example.com\",\"lastName\":\"T\"}");
        assertThat((String) deadAtFirstAttempt(inboxId).get("reason")).contains("the record's id (crm id) is not a single value");
    }

    @Test
    void aValueTheTargetsColumnRefusesIsADeadLetterAtOnce() throws SQLException {
        // billing's demo_contact.external_id is VARCHAR(64): the inbox takes 200 characters, billing does not.
        String id = "c-" + "w".repeat(100) + UUID.randomUUID();
        long inboxId = enqueue(id, "{\"id\":\"" + id + "\",\"email\":\"wide@example.com\",\"lastName\":\"Wide\"}");
        assertThat((String) deadAtFirstAttempt(inboxId).get("reason")).contains("value too long");
    }

    @Test
    void aNestedValueWhereTheContractWantsTextIsADeadLetterAtOnce() throws SQLException {
        // the CRM's firstName is trimmed text for billing's VARCHAR column: an object cannot be, now or on a retry.
        String id = "c-nested-" + UUID.randomUUID();
        long inboxId = enqueue(id, "{\"id\":\"" + id + "\",\"email\":\"nested@example.com\",\"lastName\":\"Nested\","
                + "\"firstName\":{\"given\":\"Ada\",\"middle\":\"A\"}}");
        assertThat((String) deadAtFirstAttempt(inboxId).get("reason"))
                .contains("contact.firstName from crm", "cannot be read as text");
    }
}
