package io.syncline.testsupport;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the state store says became of a stream of CRM contact events sent to the Quickstart's
 * billing target: the inbox, the idempotency keys, the audit log and the target rows, read with
 * plain JDBC from the database at {@code url}. Shared by the crash and outage tests.
 */
public final class SyncLedger {

    /** The audit actions that mean "this event was decided for the target": exactly one per event. */
    private static final String DECIDED = "('created', 'updated', 'unchanged', 'skipped-stale')";

    private final String url;
    private final String context;

    /** @param context prefixed to every assertion message (the seed, to reproduce a failure) */
    public SyncLedger(String url, String context) {
        this.url = url;
        this.context = context;
    }

    /** Waits until no inbox event is pending or being processed. */
    public void awaitDrained(Duration atMost) {
        await(context + ": the inbox drains").atMost(atMost).pollInterval(Duration.ofMillis(250))
                .until(() -> count("SELECT COUNT(*) AS n FROM inbox WHERE status IN ('pending', 'processing')") == 0);
    }

    /**
     * The whole stream came through: every one of its events was acknowledged, is done in the
     * inbox and was applied to billing exactly once; billing holds each record's newest version;
     * no dead letter, and no decision failed or held.
     */
    public void assertStreamApplied(ContactEvents events, Set<String> acknowledged) {
        List<String> eventIds = events.all().stream().map(ContactEvents.ContactEvent::eventId).toList();
        assertThat(acknowledged).as("%s: acknowledged events", context).containsExactlyInAnyOrderElementsOf(eventIds);
        assertThat(inboxStatus()).as("%s: inbox status per event", context)
                .containsOnlyKeys(eventIds).allSatisfy((id, status) -> assertThat(status).isEqualTo("done"));
        assertAppliedExactlyOnce(acknowledged);
        assertTargetHoldsNewest(events.newest());
        assertThat(count("SELECT COUNT(*) AS n FROM dead_letter")).as("%s: dead letters", context).isZero();
        assertThat(auditActions()).as("%s: audit actions", context).doesNotContainKeys("failed", "held");
    }

    /** Inbox status of every stored event, by the sender's event id. */
    public Map<String, String> inboxStatus() {
        Map<String, String> status = new HashMap<>();
        for (Map<String, Object> row : TestDatabase.queryOn(url, "SELECT event_id, status FROM inbox WHERE source_system = 'crm'")) {
            assertThat(status.put((String) row.get("event_id"), (String) row.get("status")))
                    .as("%s: event %s is in the inbox twice", context, row.get("event_id")).isNull();
        }
        return status;
    }

    /**
     * Each of {@code eventIds} was applied to billing exactly once: one idempotency key, and one
     * audit row that decided it (created, updated, unchanged or skipped as stale; redeliveries
     * to the apply route show as skipped-duplicate and do not count). No other event was.
     */
    public void assertAppliedExactlyOnce(Collection<String> eventIds) {
        Set<String> expected = eventIds.stream().map(id -> "event:" + id).collect(Collectors.toSet());
        List<String> keys = TestDatabase.queryOn(url,
                "SELECT event_key FROM processed_key WHERE consumer = 'billing' AND source_system = 'crm'")
                .stream().map(row -> (String) row.get("event_key")).toList();
        assertThat(keys).as("%s: idempotency keys of billing", context).doesNotHaveDuplicates();
        assertThat(missing(expected, keys)).as("%s: acknowledged events without an idempotency key", context).isEmpty();
        assertThat(missing(keys, expected)).as("%s: idempotency keys of events never sent", context).isEmpty();

        Map<String, Long> decisions = new TreeMap<>();
        for (Map<String, Object> row : TestDatabase.queryOn(url, "SELECT event_key, COUNT(*) AS n FROM audit_log"
                + " WHERE target_system = 'billing' AND action IN " + DECIDED + " GROUP BY event_key")) {
            decisions.put((String) row.get("event_key"), (Long) row.get("n"));
        }
        assertThat(missing(expected, decisions.keySet())).as("%s: acknowledged events never applied (lost)", context).isEmpty();
        assertThat(missing(decisions.keySet(), expected)).as("%s: applied events never sent", context).isEmpty();
        assertThat(decisions).as("%s: applying audit rows per event (more than one = applied twice)", context)
                .allSatisfy((key, rows) -> assertThat(rows).as("%s: audit rows of %s", context, key).isEqualTo(1L));
        assertThat(TestDatabase.queryOn(url, "SELECT source_id, COUNT(*) AS n FROM audit_log WHERE target_system = 'billing'"
                + " AND action = 'created' GROUP BY source_id HAVING COUNT(*) > 1"))
                .as("%s: records created more than once", context).isEmpty();
    }

    /** Elements of {@code these} that {@code those} lacks, sorted. */
    private static List<String> missing(Collection<String> these, Collection<String> those) {
        Set<String> present = Set.copyOf(those);
        return these.stream().filter(element -> !present.contains(element)).sorted().toList();
    }

    /** Billing's demo_contact holds exactly these records, each with its newest event's values. */
    public void assertTargetHoldsNewest(Collection<ContactEvents.ContactEvent> newest) {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        for (Map<String, Object> row : TestDatabase.queryOn(url,
                "SELECT external_id, first_name, city, updated_at FROM demo_contact")) {
            rows.put((String) row.get("external_id"), row);
        }
        assertThat(rows.keySet()).as("%s: billing's rows", context)
                .containsExactlyInAnyOrderElementsOf(newest.stream().map(ContactEvents.ContactEvent::recordId).toList());
        for (ContactEvents.ContactEvent event : newest) {
            Map<String, Object> row = rows.get(event.recordId());
            assertThat(row.get("first_name")).as("%s: first_name of %s (newest is version %d)", context, event.recordId(),
                    event.version()).isEqualTo(event.firstName());
            assertThat(row.get("city")).as("%s: city of %s", context, event.recordId()).isEqualTo(event.city());
            assertThat(((Timestamp) row.get("updated_at")).toInstant()).as("%s: updated_at of %s", context, event.recordId())
                    .isEqualTo(event.updatedAt());
        }
    }

    /** Audit rows by action, for the report of a run. */
    public Map<String, Long> auditActions() {
        Map<String, Long> actions = new TreeMap<>();
        for (Map<String, Object> row : TestDatabase.queryOn(url, "SELECT action, COUNT(*) AS n FROM audit_log GROUP BY action")) {
            actions.put((String) row.get("action"), (Long) row.get("n"));
        }
        return actions;
    }

    public long count(String sql, Object... parameters) {
        return ((Number) TestDatabase.queryOn(url, sql, parameters).get(0).get("n")).longValue();
    }
}
