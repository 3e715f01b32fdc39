package io.syncline.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.testsupport.SlackStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Notifications only when a run found something or could not be trusted; a weekly summary always. */
class ReconciliationNotifierTest {

    private SlackStub slack;
    private ReconciliationNotifier notifier;

    @BeforeEach
    void start() throws Exception {
        slack = new SlackStub();
        notifier = new ReconciliationNotifier(Optional.of(slack.url()), HttpClient.newHttpClient(), new ObjectMapper());
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    private static ReconciliationRun run(long id, String status, long onlyInA, long records, List<String> reasons) {
        return new ReconciliationRun(id, "contacts", "contact", "schedule", false, null, null, status, reasons, null, null,
                new ReconciliationRun.Side("crm", records, 2L, true, null, 0L, records),
                new ReconciliationRun.Side("billing", records - onlyInA, 1L, true, null, 0L, records - onlyInA),
                "ok".equals(status) ? new ReconciliationRun.Counts(onlyInA, 0L, 0L, records - onlyInA, 0L, 0L, 0L)
                        : new ReconciliationRun.Counts(null, null, null, null, null, null, null),
                "billing", "ok".equals(status) ? (records - onlyInA) / (double) records : null, "full", null, null);
    }

    @Test
    void aHealthyRunStaysSilentADriftingOrUntrustworthyOneIsAnnounced() {
        assertThat(notifier.runFinished(run(1, "ok", 0, 100, List.of()))).isFalse();
        assertThat(slack.messages).isEmpty();

        assertThat(notifier.runFinished(run(2, "ok", 3, 100, List.of()))).isTrue();
        assertThat(notifier.runFinished(run(3, "untrustworthy", 0, 40, List.of("side A (crm) returned 40 records, below 80% of the 100")))).isTrue();

        assertThat(slack.messages).extracting(message -> message.get("text").toString()).containsExactly(
                "Reconciliation contacts (run 2) found 3 differences: 3 only in crm, 0 only in billing, 0 mismatched"
                        + " (0 fixed, 0 quarantined). crm: 100 records, billing: 97 records. Quality of billing: 97.00%.",
                "Reconciliation contacts (run 3) is UNTRUSTWORTHY and changed nothing: side A (crm) returned 40 records, below 80% of the 100");
    }

    @Test
    void theWeeklySummaryGivesBothSidesCountsEvenWhenAllIsWell() {
        assertThat(notifier.weeklySummary(List.of(run(1, "ok", 0, 100, List.of()), run(2, "untrustworthy", 0, 10, List.of("x")),
                run(3, "ok", 0, 120, List.of())))).isTrue();

        assertThat(slack.messages).singleElement().extracting(message -> message.get("text").toString()).isEqualTo(
                "Weekly reconciliation summary: 3 runs.\n• contacts: 3 runs, 1 untrustworthy; latest trustworthy:"
                        + " crm 120 records, billing 120 records, 0 differences");
    }

    @Test
    void withoutAUrlNothingIsSent() {
        ReconciliationNotifier silent = new ReconciliationNotifier(Optional.empty(), HttpClient.newHttpClient(), new ObjectMapper());
        assertThat(silent.runFinished(run(2, "ok", 3, 100, List.of()))).isFalse();
        assertThat(silent.weeklySummary(List.of())).isFalse();
    }
}
