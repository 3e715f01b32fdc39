package io.syncline.inbox;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import io.syncline.testsupport.Throughout;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Claims that lost their way while the state store was away are handed back at once, not after
 * their lease, and nothing else is touched: an event a worker held is due again with its attempt
 * counted, the events of a claim whose answer was lost are pending as if never claimed, and an
 * event that finished or was claimed again meanwhile is left alone.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class InboxStrandedClaimsTest {

    @Inject
    InboxRepository inbox;

    /** An event leased to a worker for a minute, attempt {@code attempts}, as a claim leaves it. */
    private static long claimed(String status, int attempts, Instant until) {
        String id = "stranded-" + UUID.randomUUID();
        return ((Number) TestDatabase.query("INSERT INTO inbox (route_id, apply_endpoint, entity, source_system, record_key,"
                + " event_id, payload, status, attempts, claimed_until) VALUES ('crm-contact-webhook',"
                + " 'direct:contact-crm-to-billing', 'contact', 'crm', ?, ?, ?, ?, ?, ?) RETURNING id", id, id,
                "{\"id\":\"" + id + "\",\"email\":\"" + id + "@example.com\",\"lastName\":\"Stranded\"}", status, attempts,
                Timestamp.from(until)).get(0).get("id")).longValue();
    }

    private static Map<String, Object> row(long id) {
        return TestDatabase.query("SELECT status, attempts FROM inbox WHERE id = ?", id).get(0);
    }

    @Test
    void anEventAWorkerHeldIsAppliedAtOnceItsAttemptCounted() throws SQLException {
        Instant lease = Instant.now().plus(Duration.ofMinutes(1));
        long stranded = claimed("processing", 1, lease);
        long claimedAgain = claimed("processing", 2, lease);
        long finished = claimed("done", 1, lease);

        inbox.release(Map.of(stranded, 1, claimedAgain, 1, finished, 1));

        // the dispatcher claims it again at once, well before its lease
        assertThat(DemoWebhook.finalStatus(stranded)).isEqualTo("done");
        assertThat(row(stranded)).containsEntry("attempts", 2);
        assertThat(row(claimedAgain)).containsEntry("status", "processing").containsEntry("attempts", 2);
        assertThat(row(finished)).containsEntry("status", "done");
    }

    @Test
    void theEventsOfAClaimWhoseAnswerWasLostAreHandedBackAsIfNeverClaimed() throws SQLException {
        Instant lost = Instant.now().plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.MICROS);
        long first = claimed("processing", 1, lost);
        long second = claimed("processing", 3, lost);
        long otherClaim = claimed("processing", 1, lost.plusMillis(1));

        inbox.releaseClaims(List.of(lost));

        assertThat(DemoWebhook.finalStatus(first)).isEqualTo("done");
        assertThat(DemoWebhook.finalStatus(second)).isEqualTo("done");
        assertThat(row(first)).containsEntry("attempts", 1);
        assertThat(row(second)).containsEntry("attempts", 3);
        assertThat(row(otherClaim)).containsEntry("status", "processing");
    }

    @Test
    void anEarlierEventCommittedWhileALaterOneOfItsRecordIsAppliedWaitsForIt() throws SQLException {
        // as two events of one record accepted at once leave them: the one given the smaller id commits
        // (becomes due) only after the other was claimed
        String key = "concurrent-" + UUID.randomUUID();
        String payload = "{\"id\":\"" + key + "\",\"email\":\"" + key + "@example.com\",\"lastName\":\"Concurrent\"}";
        String insert = "INSERT INTO inbox (route_id, apply_endpoint, entity, source_system, record_key, event_id, payload,"
                + " status, attempts, next_attempt_at, claimed_until) VALUES ('crm-contact-webhook', 'direct:contact-crm-to-billing',"
                + " 'contact', 'crm', ?, ?, ?, ?, ?, ?, ?) RETURNING id";
        long earlier = ((Number) TestDatabase.query(insert, key, key + "-a", payload, "pending", 0,
                Timestamp.from(Instant.now().plus(Duration.ofDays(1))), Timestamp.from(Instant.now())).get(0).get("id")).longValue();
        long later = ((Number) TestDatabase.query(insert, key, key + "-b", payload, "processing", 1,
                Timestamp.from(Instant.now()), Timestamp.from(Instant.now().plus(Duration.ofMinutes(1)))).get(0).get("id")).longValue();
        TestDatabase.update("UPDATE inbox SET next_attempt_at = now(), claimed_until = NULL WHERE id = ?", earlier);

        Throughout.holds(await().pollInterval(Duration.ofMillis(200)), "the earlier event while the later one is applied",
                Duration.ofSeconds(2), () -> assertThat(row(earlier)).containsEntry("status", "pending").containsEntry("attempts", 0));

        TestDatabase.update("UPDATE inbox SET status = 'done', claimed_until = NULL WHERE id = ?", later);
        assertThat(DemoWebhook.finalStatus(earlier)).isEqualTo("done");
    }
}
