package io.syncline.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncline.alerting.SlackWebhook;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Tells a Slack-compatible incoming webhook ({@code POST {"text": …}}) about a run only when it
 * found differences or could not be trusted, and sends a weekly summary with both sides' counts
 * so that silence is never mistaken for health. A notification that cannot be delivered is
 * logged; it never fails the run. The URL is a secret and is never logged.
 */
public final class ReconciliationNotifier {

    private final Optional<SlackWebhook> webhook;

    public ReconciliationNotifier(Optional<String> url, HttpClient client, ObjectMapper mapper) {
        this.webhook = url.filter(text -> !text.isBlank()).map(text -> new SlackWebhook(URI.create(text), client, mapper));
    }

    /** @return whether a notification was sent */
    public boolean runFinished(ReconciliationRun run) {
        if (run.trustworthy() && run.counts().differences() == 0) {
            return false;
        }
        StringBuilder text = new StringBuilder();
        if (run.trustworthy()) {
            var counts = run.counts();
            text.append(String.format(Locale.ROOT, "Reconciliation %s (run %d) found %d differences: %d only in %s, %d only in %s,"
                    + " %d mismatched (%d fixed, %d quarantined). %s: %d records, %s: %d records. Quality of %s: %.2f%%.",
                    run.job(), run.id(), counts.differences(), counts.onlyInA(), run.sideA().system(), counts.onlyInB(),
                    run.sideB().system(), counts.mismatched(), counts.fixed(), counts.quarantined(), run.sideA().system(),
                    run.sideA().records(), run.sideB().system(), run.sideB().records(), run.qualitySystem(),
                    run.qualityScore() * 100));
            if (ReconciliationRun.FIXES_SHORT.equals(run.status())) {
                text.append(" FIXES SHORT: ").append(String.join("; ", run.reasons()));
            }
        } else {
            text.append("Reconciliation ").append(run.job()).append(" (run ").append(run.id()).append(") is ")
                    .append(run.status().toUpperCase(Locale.ROOT)).append(" and changed nothing: ")
                    .append(String.join("; ", run.reasons()));
        }
        return send(text.toString(), Map.of("job", run.job(), "runId", run.id(), "status", run.status()));
    }

    /** One line per job: runs, untrustworthy runs, the latest trustworthy counts of both sides and differences. */
    public boolean weeklySummary(List<ReconciliationRun> runs) {
        Map<String, List<ReconciliationRun>> byJob = new LinkedHashMap<>();
        runs.forEach(run -> byJob.computeIfAbsent(run.job(), job -> new ArrayList<>()).add(run));
        StringBuilder text = new StringBuilder("Weekly reconciliation summary: ").append(runs.size()).append(" runs.");
        if (byJob.isEmpty()) {
            text.append(" No reconciliation ran this week.");
        }
        byJob.forEach((job, jobRuns) -> {
            long untrustworthy = jobRuns.stream().filter(run -> !run.trustworthy()).count();
            ReconciliationRun latest = null;
            for (ReconciliationRun run : jobRuns) {
                if (run.trustworthy()) {
                    latest = run;
                }
            }
            text.append("\n• ").append(job).append(": ").append(jobRuns.size()).append(" runs, ").append(untrustworthy)
                    .append(" untrustworthy");
            if (latest == null) {
                text.append(", none trustworthy");
            } else {
                text.append(String.format(Locale.ROOT, "; latest trustworthy: %s %d records, %s %d records, %d differences",
                        latest.sideA().system(), latest.sideA().records(), latest.sideB().system(), latest.sideB().records(),
                        latest.counts().differences()));
            }
        });
        return send(text.toString(), Map.of("summary", "weekly"));
    }

    private boolean send(String text, Map<String, Object> context) {
        return webhook.map(slack -> slack.post(text, context)).orElse(false);
    }
}
