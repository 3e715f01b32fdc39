package io.syncline.inbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.syncline.testsupport.DemoWebhook;
import io.syncline.testsupport.InboxBacklog;
import io.syncline.testsupport.PostgresDatabaseResource;
import io.syncline.testsupport.TestDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch's events go through the apply route's stages together, all matched before any is
 * written. Two events of one batch that would find one billing row (one creating it, or both
 * matching it) must end as they would one at a time: the batch falls back to one event at a
 * time, so the second finds the first's row and is held for review, never a second row.
 */
@QuarkusTest
@WithTestResource(PostgresDatabaseResource.class)
class InboxApplyBatchDependentTest {

    @Inject
    MeterRegistry meters;

    /** Eight contacts, those at 1 and 2 (one batch of at least four, min-events) with one e-mail address. */
    private static List<Map<String, Object>> backlogWithTwins(String run, String email) {
        return IntStream.range(0, 8).mapToObj(i -> {
            Map<String, Object> contact = new HashMap<>(Map.of("id", run + "-" + i, "email", run + "-" + i + "@example.com",
                    "firstName", "Ada", "lastName", "Twin-" + i));
            if (i == 1 || i == 2) {
                contact.put("email", email);
            }
            return contact;
        }).toList();
    }

    @Test
    void aNewContactMatchingAnotherOfItsBatchIsHeldAsItWouldBeAloneNotCreatedTwice() {
        String run = "dep-" + UUID.randomUUID().toString().substring(0, 8);
        String email = run + "-twin@example.com";
        double rolledBack = InboxBacklog.batchedEvents(meters, "rolled_back");

        List<Long> ids = InboxBacklog.store(backlogWithTwins(run, email));
        DemoWebhook.awaitDrained(run);

        // applied one at a time, the second finds the first's new row, which is another contact's
        assertThat(TestDatabase.query("SELECT id, status FROM inbox WHERE id = ANY(?) AND status <> 'done'",
                (Object) ids.toArray(Long[]::new))).containsExactly(Map.of("id", ids.get(2), "status", "held"));
        assertThat(TestDatabase.query("SELECT external_id FROM demo_contact WHERE email = ?", email))
                .containsExactly(Map.of("external_id", run + "-1"));
        assertThat((String) TestDatabase.query("SELECT reason FROM review_item WHERE inbox_id = ?", ids.get(2))
                .get(0).get("reason")).contains("already belongs to another contact");
        assertThat(InboxBacklog.batchedEvents(meters, "rolled_back") - rolledBack).isGreaterThanOrEqualTo(4);
        assertThat(TestDatabase.query("SELECT count(*) AS n FROM demo_contact WHERE external_id LIKE ?", run + "-%"))
                .containsExactly(Map.of("n", 7L));
    }

    @Test
    void twoContactsOfABatchMatchingOneBillingRowUpdateItOnceAndTheSecondIsHeld() {
        String run = "dep-" + UUID.randomUUID().toString().substring(0, 8);
        String email = run + "-twin@example.com";
        TestDatabase.query("INSERT INTO demo_contact (external_id, email, last_name) VALUES (?, ?, 'Existing')"
                + " RETURNING external_id", "B-" + run, email);

        List<Long> ids = InboxBacklog.store(backlogWithTwins(run, email));
        DemoWebhook.awaitDrained(run);

        // the first takes the row over and links it; the second finds it taken (the match stage
        // refuses the batch at once; were it not to, the second's held-back link of the same row
        // would fail the batch before its commit)
        assertThat(TestDatabase.query("SELECT id, status FROM inbox WHERE id = ANY(?) AND status <> 'done'",
                (Object) ids.toArray(Long[]::new))).containsExactly(Map.of("id", ids.get(2), "status", "held"));
        assertThat(TestDatabase.query("SELECT external_id, last_name FROM demo_contact WHERE email = ?", email))
                .containsExactly(Map.of("external_id", "B-" + run, "last_name", "Twin-1"));
        assertThat(TestDatabase.query("SELECT billing.system_id FROM id_map crm JOIN id_map billing"
                + " ON billing.entity = crm.entity AND billing.canonical_id = crm.canonical_id AND billing.system = 'billing'"
                + " WHERE crm.entity = 'contact' AND crm.system = 'crm' AND crm.system_id = ?", run + "-1"))
                .containsExactly(Map.of("system_id", "B-" + run));
    }
}
