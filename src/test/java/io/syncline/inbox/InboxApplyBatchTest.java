package io.syncline.inbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.InboxBacklog;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A backlog of the Quickstart's events (its apply route is in syncline.inbox.apply-batch.routes)
 * is applied several events per transaction, with the guarantees of one event per transaction:
 * every event applied once, a duplicate skipped and audited inside a batch, and a failing event
 * rolling its batch back, so that its companions are applied on their own, once, and it alone is
 * dead-lettered.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class InboxApplyBatchTest {

    @Inject
    MeterRegistry meters;

    private double batched(String outcome) {
        return InboxBacklog.batchedEvents(meters, outcome);
    }

    private static Map<String, Object> contact(String id) {
        return new HashMap<>(Map.of("id", id, "email", id + "@example.com", "firstName", "Ada", "lastName", "Batch"));
    }

    @Test
    void aBacklogIsAppliedSeveralEventsPerTransactionEachOnce() {
        String run = "batch-" + UUID.randomUUID().toString().substring(0, 8);
        // applied before the backlog: the backlog's copy of it is a duplicate
        Map<String, Object> earlier = contact(run + "-earlier");
        assertThat(DemoWebhook.finalStatus(DemoWebhook.accept(earlier))).isEqualTo("done");
        double committed = batched("committed");
        double rolledBack = batched("rolled_back");
        double searchedByBatch = reads("match-candidates", "batch");
        double searchedByEvent = reads("match-candidates", "event");
        List<Map<String, Object>> backlog = new ArrayList<>(IntStream.range(0, 39).mapToObj(i -> contact(run + "-" + i)).toList());
        backlog.add(earlier);

        List<Long> ids = InboxBacklog.store(backlog);
        DemoWebhook.awaitDrained(run);

        assertThat(TestDatabase.query("SELECT status, count(*) AS n FROM inbox WHERE id = ANY(?) GROUP BY status",
                (Object) ids.toArray(Long[]::new))).containsExactly(Map.of("status", "done", "n", 40L));
        // one claim of 40, shared out among 8 workers: 8 transactions of 5 events; the batch's keys
        // are claimed together before its commit, so the duplicate's batch is rolled back and its
        // five events are applied one by one, where the duplicate is found and skipped
        assertThat(batched("committed") - committed).isEqualTo(35);
        assertThat(batched("rolled_back") - rolledBack).isEqualTo(5);
        // each batch searched billing once for its new contacts (the duplicate's batch too, before it
        // was rolled back), none on its own; the duplicate, known to the ID map, searched nothing
        assertThat(reads("match-candidates", "batch") - searchedByBatch).isEqualTo(39);
        assertThat(reads("match-candidates", "event") - searchedByEvent).isZero();
        assertThat(TestDatabase.query("SELECT count(*) AS n FROM demo_contact WHERE external_id LIKE ? AND last_name = 'Batch'"
                + " AND email = external_id || '@example.com'", run + "-%")).containsExactly(Map.of("n", 40L));
        // a batch's billing rows are upserted together, four to a statement: the rows a transaction
        // wrote carry as many command ids as it sent statements
        assertThat(TestDatabase.query("SELECT xmin::text AS transaction, count(*) AS written, count(DISTINCT cmin::text)"
                + " AS statements FROM demo_contact WHERE external_id LIKE ? GROUP BY xmin::text", run + "-%"))
                .allSatisfy(rows -> assertThat(rows.get("statements")).isEqualTo(((Long) rows.get("written") + 3) / 4))
                .anySatisfy(rows -> assertThat((Long) rows.get("written")).isGreaterThan(1L));
        assertThat(TestDatabase.query("SELECT action, count(*) AS n FROM audit_log WHERE inbox_id = ANY(?) GROUP BY action"
                + " ORDER BY action", (Object) ids.toArray(Long[]::new)))
                .containsExactly(Map.of("action", "created", "n", 39L), Map.of("action", "skipped-duplicate", "n", 1L));
        assertThat(TestDatabase.query("SELECT count(*) AS n FROM processed_key WHERE inbox_id = ANY(?)",
                (Object) ids.toArray(Long[]::new))).containsExactly(Map.of("n", 39L));
        // each contact linked both ways, crm's id and billing's to one canonical id, by the batches' writes
        assertThat(TestDatabase.query("SELECT count(*) AS n FROM id_map crm JOIN id_map billing"
                + " ON billing.entity = crm.entity AND billing.canonical_id = crm.canonical_id AND billing.system = 'billing'"
                + " WHERE crm.entity = 'contact' AND crm.system = 'crm' AND crm.system_id LIKE ?", run + "-%"))
                .containsExactly(Map.of("n", 40L));
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'syncline-apply-batches' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'syncline-apply-batches' }.data.maxEvents", equalTo(16))
                .body("checks.find { it.name == 'syncline-apply-batches' }.data['route.contact-crm-to-billing']", equalTo("batched"));
    }

    @Test
    void aBacklogOfUpdatesReadsItsRecordStatesAndRowsOncePerBatchAndDecidesEachEventAsAlone() {
        String run = "batch-" + UUID.randomUUID().toString().substring(0, 8);
        // contact i changed at minute i, so that a record's state read for another would show
        List<Map<String, Object>> created = IntStream.range(0, 16).mapToObj(i -> {
            Map<String, Object> contact = contact(run + "-" + i);
            contact.put("updatedAt", "2024-03-01T09:%02d:00Z".formatted(i));
            return contact;
        }).toList();
        InboxBacklog.store(created);
        DemoWebhook.awaitDrained(run);
        double statesAhead = reads("record-states", "batch");
        double rowsAhead = reads("target-row", "batch");
        // even contacts changed a day later; each odd one by a change older than its own last one
        // but newer than the even contact's before it (a companion in its batch): stale
        List<Map<String, Object>> changes = IntStream.range(0, 16).mapToObj(i -> {
            Map<String, Object> change = contact(run + "-" + i);
            change.put("lastName", i % 2 == 0 ? "Changed-" + i : "Stale");
            change.put("updatedAt", i % 2 == 0 ? "2024-03-02T09:00:00Z" : "2024-03-01T09:%02d:30Z".formatted(i - 1));
            return change;
        }).toList();

        List<Long> ids = InboxBacklog.store(changes);
        DemoWebhook.awaitDrained(run);

        assertThat(TestDatabase.query("SELECT action, count(*) AS n FROM audit_log WHERE inbox_id = ANY(?) GROUP BY action"
                + " ORDER BY action", (Object) ids.toArray(Long[]::new)))
                .containsExactly(Map.of("action", "skipped-stale", "n", 8L), Map.of("action", "updated", "n", 8L));
        assertThat(TestDatabase.query("SELECT count(*) AS n FROM demo_contact WHERE external_id LIKE ? AND last_name ="
                + " CASE WHEN CAST(split_part(external_id, '-', 3) AS INTEGER) % 2 = 0"
                + " THEN 'Changed-' || split_part(external_id, '-', 3) ELSE 'Batch' END", run + "-%"))
                .containsExactly(Map.of("n", 16L));
        // one claim of 16 among 8 workers, 4 batches of 4: every event's record states from its
        // batch's one locking read, every applied change's billing row from its batch's one read
        assertThat(reads("record-states", "batch") - statesAhead).isEqualTo(16);
        assertThat(reads("target-row", "batch") - rowsAhead).isEqualTo(8);
    }

    private double reads(String read, String by) {
        Counter counter = meters.find("syncline.inbox.batched.reads").tag("read", read).tag("by", by).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aNewRowsLinkTakenByAnotherRecordRollsItsBatchBackAndAloneFailsOnTheConflictUntilItIsGone() {
        String run = "batch-" + UUID.randomUUID().toString().substring(0, 8);
        String taken = run + "-3";
        String other = UUID.randomUUID().toString();
        // billing's id for the new contact (its external_id, the CRM id) is linked to another record already
        TestDatabase.query("INSERT INTO id_map (entity, canonical_id, system, system_id) VALUES ('contact', ?, 'billing', ?)"
                + " RETURNING canonical_id", other, taken);
        double rolledBack = batched("rolled_back");

        List<Long> ids = InboxBacklog.store(IntStream.range(0, 8).mapToObj(i -> contact(run + "-" + i)).toList());
        long conflicted = ids.get(3);

        // the link, held back with its batch's writes, inserts nothing: the batch is rolled back,
        // and the event alone fails on the contradicting link, nothing of it kept
        TestDatabase.awaitRows("SELECT 1 FROM inbox WHERE id = ? AND status = 'pending' AND last_error LIKE ?",
                conflicted, "%is linked to canonical id " + other + "%");
        assertThat(batched("rolled_back") - rolledBack).isGreaterThanOrEqualTo(4);
        assertThat(TestDatabase.query("SELECT count(*) AS n FROM demo_contact WHERE external_id = ?", taken))
                .containsExactly(Map.of("n", 0L));
        TestDatabase.awaitRows("SELECT 1 FROM inbox WHERE id = ANY(?) HAVING count(*) FILTER (WHERE status = 'done') = 7",
                (Object) ids.toArray(Long[]::new));
        assertThat(TestDatabase.query("SELECT count(*) AS n FROM demo_contact WHERE external_id LIKE ?", run + "-%"))
                .containsExactly(Map.of("n", 7L));

        // once the wrong link is gone, its retry applies it and links it to its own record
        TestDatabase.query("DELETE FROM id_map WHERE canonical_id = ? RETURNING system_id", other);
        assertThat(DemoWebhook.finalStatus(conflicted)).isEqualTo("done");
        assertThat(TestDatabase.query("SELECT count(*) AS n FROM id_map crm JOIN id_map billing"
                + " ON billing.entity = crm.entity AND billing.canonical_id = crm.canonical_id AND billing.system = 'billing'"
                + " WHERE crm.entity = 'contact' AND crm.system = 'crm' AND crm.system_id = ? AND billing.system_id = ?",
                taken, taken)).containsExactly(Map.of("n", 1L));
    }

    @Test
    void aFailingEventRollsItsBatchBackItsCompanionsApplyOnTheirOwnAndItAloneIsDeadLettered() {
        // no e-mail, which the model requires: rejected, a dead letter
        oneBadEventInABacklogOf16(6, contact -> contact.remove("email"), "email");
    }

    @Test
    void aTargetRowRefusedRollsItsBatchBackAndItsEventAloneIsDeadLettered() {
        // valid for the model, too long for billing's company column (VARCHAR(200)): the
        // database refuses the row, not Syncline's checks
        oneBadEventInABacklogOf16(9, contact -> contact.put("company", Map.of("name", "C".repeat(250))), "too long");
    }

    /** A backlog of 16 contacts, the one at {@code badIndex} spoilt: it alone a dead letter whose reason says {@code cause}. */
    private void oneBadEventInABacklogOf16(int badIndex, Consumer<Map<String, Object>> spoil, String cause) {
        String run = "batch-" + UUID.randomUUID().toString().substring(0, 8);
        double committed = batched("committed");
        double rolledBack = batched("rolled_back");
        List<Map<String, Object>> backlog = new ArrayList<>(IntStream.range(0, 16).mapToObj(i -> contact(run + "-" + i)).toList());
        spoil.accept(backlog.get(badIndex));

        List<Long> ids = InboxBacklog.store(backlog);
        DemoWebhook.awaitDrained(run);

        long bad = ids.get(badIndex);
        Long[] all = ids.toArray(Long[]::new);
        assertThat(TestDatabase.query("SELECT id, status FROM inbox WHERE id = ANY(?) AND status <> 'done'", (Object) all))
                .containsExactly(Map.of("id", bad, "status", "dead"));
        assertThat(TestDatabase.query("SELECT attempts, reason LIKE ? AS names_the_cause FROM dead_letter WHERE inbox_id = ?",
                "%" + cause + "%", bad)).containsExactly(Map.of("attempts", 1, "names_the_cause", true));
        // one claim of 16 among 8 workers, at least 4 to a batch (min-events): the bad event's
        // batch of 4 rolled back, the other three committed
        assertThat(batched("rolled_back") - rolledBack).isEqualTo(4);
        assertThat(batched("committed") - committed).isEqualTo(12);
        // the companions applied once each
        assertThat(TestDatabase.query("SELECT count(*) AS n, count(DISTINCT source_id) AS records FROM audit_log"
                + " WHERE inbox_id = ANY(?) AND action = 'created'", (Object) all)).containsExactly(Map.of("n", 15L, "records", 15L));
        assertThat(TestDatabase.query("SELECT count(*) AS n FROM demo_contact WHERE external_id LIKE ?", run + "-%"))
                .containsExactly(Map.of("n", 15L));
        assertThat(TestDatabase.query("SELECT count(*) AS n FROM processed_key WHERE inbox_id = ANY(?)", (Object) all))
                .containsExactly(Map.of("n", 15L));
    }
}
