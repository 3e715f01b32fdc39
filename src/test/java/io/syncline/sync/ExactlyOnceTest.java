package io.syncline.sync;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 4, must-show 1: events for many records, a fifth of them delivered twice, all in
 * shuffled order, leave billing with one row per contact holding its newest version; the audit
 * log names every duplicate and every stale event, and each version was applied at most once.
 * Half the records come from a sender that gives event ids (redeliveries are refused at the
 * inbox), half from one that gives none (redeliveries are caught by the idempotent consumer's
 * record-id-and-version-hash key).
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class ExactlyOnceTest {

    private static final int RECORDS = 20;
    private static final int VERSIONS = 5;
    private static final Instant START = Instant.parse("2024-05-01T08:00:00Z");

    record Delivery(String recordId, int version, String eventId, Map<String, Object> payload) {
    }

    @Test
    void shuffledStreamWithDuplicatesLeavesNewestValuesAndAuditsEveryDuplicateAndStaleEvent() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String run = "x1-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<Delivery> deliveries = new ArrayList<>();
        for (int r = 0; r < RECORDS; r++) {
            String recordId = run + r;
            boolean withEventIds = r % 2 == 0;
            for (int v = 1; v <= VERSIONS; v++) {
                Map<String, Object> payload = Map.of("id", recordId, "email", recordId + "@example.com",
                        "firstName", "V" + v, "lastName", "Record " + r,
                        "address", Map.of("city", "City " + v), "updatedAt", START.plusSeconds(60L * v).toString());
                deliveries.add(new Delivery(recordId, v, withEventIds ? recordId + "-v" + v : null, payload));
            }
        }
        // A fifth of the events delivered a second time.
        List<Delivery> redelivered = new ArrayList<>(deliveries);
        Collections.shuffle(redelivered, random);
        deliveries.addAll(redelivered.subList(0, deliveries.size() / 5));
        Collections.shuffle(deliveries, random);

        Map<String, String> answers = new HashMap<>();
        for (Delivery delivery : deliveries) {
            String answer = DemoWebhook.deliver(delivery.payload(), delivery.eventId());
            answers.merge(delivery.recordId() + "/" + delivery.version(), answer, (first, second) -> first + "," + second);
        }
        DemoWebhook.awaitDrained(run);

        // What must have happened, replaying the delivery order per record (the inbox applies a record's events in order).
        Set<String> seen = new HashSet<>();
        Map<String, Integer> newest = new HashMap<>();
        int duplicates = 0;
        int stale = 0;
        int applied = 0;
        for (Delivery delivery : deliveries) {
            if (!seen.add(delivery.recordId() + "/" + delivery.version())) {
                duplicates++;
            } else if (delivery.version() < newest.getOrDefault(delivery.recordId(), 0)) {
                stale++;
            } else {
                applied++;
                newest.put(delivery.recordId(), delivery.version());
            }
        }
        String context = "seed " + seed;

        for (int r = 0; r < RECORDS; r++) {
            String recordId = run + r;
            assertThat(TestDatabase.query("SELECT first_name, city FROM demo_contact WHERE external_id = ?", recordId))
                    .as(context).containsExactly(Map.of("first_name", "V" + VERSIONS, "city", "City " + VERSIONS));
        }
        assertThat(count("skipped-duplicate", run)).as(context).isEqualTo(duplicates);
        assertThat(count("skipped-stale", run)).as(context).isEqualTo(stale);
        assertThat(count("created", run) + count("updated", run)).as(context).isEqualTo(applied);
        assertThat(count("created", run)).as(context).isEqualTo(RECORDS);
        // Every version reached billing's audit once at most: no (record, version) applied or skipped twice.
        assertThat(TestDatabase.query("SELECT source_id, version_hash, count(*) AS n FROM audit_log WHERE source_id LIKE ?"
                + " AND action IN ('created', 'updated', 'skipped-stale') GROUP BY source_id, version_hash HAVING count(*) > 1",
                run + "%")).as(context).isEmpty();
        // Redeliveries with an event id were answered as duplicates at the door.
        answers.forEach((event, answer) -> {
            if (!duplicatesAnsweredAtTheDoor()) {
                return;
            }
            if (answer.contains(",") && Integer.parseInt(event.substring(run.length()).split("/")[0]) % 2 == 0) {
                assertThat(answer).as(context + " " + event).isEqualTo("accepted,duplicate");
            }
        });
    }

    /**
     * Whether the webhook's answer tells a redelivery ({@code duplicate}): the PostgreSQL inbox
     * looks the event id up before it answers; the Kafka inbox answers once the topic has the event
     * and recognises the redelivery when it takes it from there.
     */
    boolean duplicatesAnsweredAtTheDoor() {
        return true;
    }

    private static int count(String action, String run) {
        return ((Number) TestDatabase.query("SELECT count(*) AS n FROM audit_log WHERE action = ? AND source_id LIKE ?",
                action, run + "%").get(0).get("n")).intValue();
    }
}
