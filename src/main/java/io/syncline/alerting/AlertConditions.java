package io.syncline.alerting;

import io.syncline.config.SynclineConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The conditions of k8s/overlays/prod/prometheusrule.yaml, each under its alert's name, read from
 * the application's own meters ({@link MeterHistory}) with the thresholds and windows of
 * {@code syncline.alerts.*}. A condition without data (a gauge not fresh, no change applied in the
 * window) does not fire.
 */
final class AlertConditions {

    private final SynclineConfig.Alerts settings;

    AlertConditions(SynclineConfig.Alerts settings) {
        this.settings = settings;
    }

    /** Every condition firing now, one message per alert and labels. */
    List<AlertMessage> firing(MeterHistory meters) {
        List<AlertMessage> firing = new ArrayList<>();
        meters.gauges("syncline.store.reachable").forEach((tags, value) -> {
            if (value == 0) {
                firing.add(alert(AlertRule.SynclineStateStoreUnreachable, "Syncline cannot reach its state store; webhooks are refused with 503"));
            }
        });
        meters.gauges("syncline.inbox.kafka.reachable").forEach((tags, value) -> {
            if (value == 0) {
                firing.add(alert(AlertRule.SynclineKafkaInboxUnreachable, "Syncline cannot reach the inbox topic's brokers; webhooks are"
                        + " refused with 503"));
            }
        });
        List<String> notDraining = new ArrayList<>();
        if (meters.minOver(MeterHistory.DEPTH, settings.inboxStall()) > 0
                && meters.increase("events.applied", settings.inboxStall()) == 0) {
            notDraining.add("Events have waited in the inbox for " + human(settings.inboxStall()) + " and none was applied; "
                    + (long) meters.latest(MeterHistory.DEPTH) + " wait now");
        }
        // in Kafka mode: a partition of the topic held records throughout and the group's offset did not move in it
        if (meters.gauges("syncline.inbox.kafka.stall").values().stream().anyMatch(stall -> stall >= settings.inboxStall().toSeconds())) {
            notDraining.add("Records have waited in a partition of the inbox topic for " + human(settings.inboxStall())
                    + " and the consumer group committed none of them; " + meters.gauges("syncline.inbox.kafka.lag").values().stream()
                            .mapToLong(Double::longValue).sum()
                    + " wait in the topic now");
        }
        if (!notDraining.isEmpty()) {
            firing.add(alert(AlertRule.SynclineInboxNotDraining, String.join(". ", notDraining)));
        }
        meters.gauges("syncline.inbox.oldest.age").forEach((tags, seconds) -> {
            if (seconds > settings.inboxAge().toMillis() / 1000.0) {
                firing.add(alert(AlertRule.SynclineInboxBacklogOld, "The event accepted first among those not yet applied has waited "
                        + human(Duration.ofSeconds(seconds.longValue())) + ", longer than " + human(settings.inboxAge())));
            }
        });
        double slow = meters.shareSlowerThan(settings.lagThreshold(), settings.lagWindow());
        if (slow > 0.05) {
            firing.add(alert(AlertRule.SynclineSyncLagHigh, String.format(Locale.ROOT, "%.0f %% of the changes applied in the last %s took"
                    + " more than %s to reach their targets", slow * 100, human(settings.lagWindow()), human(settings.lagThreshold()))));
        }
        double failed = meters.increase("events.failed", settings.failureWindow());
        double received = meters.increase("events.received", settings.failureWindow());
        if (failed >= settings.failureMinimum() && failed > settings.failureRatio() * received) {
            firing.add(alert(AlertRule.SynclineFailureSpike, String.format(Locale.ROOT, "%d events failed and %d were received in the last %s",
                    (long) failed, (long) received, human(settings.failureWindow()))));
        }
        double newDeadLetters = meters.increase(MeterHistory.DEAD_LETTERS, settings.deadLetterWindow());
        if (newDeadLetters > 0) {
            firing.add(alert(AlertRule.SynclineDeadLettersGrowing, (long) meters.latest(MeterHistory.DEAD_LETTERS)
                    + " dead letters wait to be replayed or discarded, " + (long) newDeadLetters + " more than " + human(settings.deadLetterWindow())
                    + " ago"));
        }
        meters.gauges("syncline.review.items.overdue").forEach((tags, value) -> {
            if (value > 0) {
                firing.add(alert(AlertRule.SynclineReviewItemsOverdue, (long) (double) value
                        + " review items older than syncline.review.max-age wait for a decision"));
            }
        });
        meters.gauges("syncline.reconciliation.trustworthy").forEach((tags, value) -> {
            if (value == 0) {
                firing.add(new AlertMessage(AlertRule.SynclineReconciliationUntrustworthy.name(), tags, true, "The last run of reconciliation "
                        + tags.get("job") + " could not be trusted and changed nothing"));
            }
        });
        meters.gauges("syncline.reconciliation.quality.alert").forEach((tags, value) -> {
            if (value == 1) {
                firing.add(new AlertMessage(AlertRule.SynclineReconciliationQualityLow.name(), tags, true, tags.get("system")
                        + " holds fewer of the master's " + tags.get("entity") + " records equal than its threshold asks"));
            }
        });
        meters.gauges("syncline.schema.drift").forEach((tags, value) -> {
            if (value == 1) {
                firing.add(new AlertMessage(AlertRule.SynclineSchemaDrift.name(), tags, true, "Field " + tags.get("field") + " of "
                        + tags.get("entity") + " has stopped arriving in " + tags.get("system") + "'s payloads (absent from the last "
                        + settings.schemaDriftWindow() + ")"));
            }
        });
        Map<Map<String, String>, Double> silences = meters.gauges("syncline.source.silence");
        meters.gauges("syncline.source.silent").forEach((tags, value) -> {
            if (value == 1) {
                double seconds = silences.getOrDefault(tags, Double.NaN);
                String length = Double.isNaN(seconds) ? "too long" : human(Duration.ofSeconds((long) seconds));
                firing.add(switch (tags.get("kind")) {
                    case "poll" -> new AlertMessage(AlertRule.SynclineSourceSilent.name(), tags, true, "No poll of " + tags.get("entity")
                            + " from " + tags.get("system") + " has run to its end for " + length);
                    case "capture" -> new AlertMessage(AlertRule.SynclineCaptureStopped.name(), tags, true, "No replica has read the changes"
                            + " of " + tags.get("entity") + " in " + tags.get("system") + " for " + length);
                    default -> new AlertMessage(AlertRule.SynclineSourceSilent.name(), tags, true, tags.get("system") + " has sent no "
                            + tags.get("entity") + " by webhook for " + length);
                });
            }
        });
        meters.gauges("syncline.capture.lag").forEach((tags, seconds) -> {
            if (seconds > settings.captureLag().toMillis() / 1000.0) {
                firing.add(new AlertMessage(AlertRule.SynclineCaptureLagging.name(), tags, true, "The capture of " + tags.get("entity")
                        + " in " + tags.get("system") + " read its last change " + human(Duration.ofSeconds(seconds.longValue()))
                        + " after it committed, longer than " + human(settings.captureLag())));
            }
        });
        meters.gauges("syncline.mappings.paused").forEach((tags, value) -> {
            if (value > 0) {
                firing.add(alert(AlertRule.SynclineMappingPaused, (long) (double) value + " mappings are paused by a schema drift;"
                        + " their events wait in the inbox until an admin accepts the proposed rename or resumes them"
                        + " (GET /admin/schema-drifts)"));
            }
        });
        meters.gauges("syncline.backfills.stalled").forEach((tags, value) -> {
            if (value > 0) {
                firing.add(alert(AlertRule.SynclineBackfillStalled, (long) (double) value + " running backfills have not moved on for "
                        + human(settings.backfillStall())));
            }
        });
        meters.gauges("syncline.reconciliation.overdue").forEach((tags, seconds) -> {
            if (seconds > 0) {
                firing.add(new AlertMessage(AlertRule.SynclineReconciliationOverdue.name(), tags, true, "Reconciliation " + tags.get("job")
                        + " has not run since its schedule's fire time, " + human(settings.reconciliationGrace().plusSeconds(seconds.longValue()))
                        + " ago"));
            }
        });
        return firing;
    }

    /**
     * The store-wide conditions ({@link AlertRule}) not firing that this evaluation cannot tell
     * cleared either: a reading of the store not fresh, or a window the samples do not cover yet
     * (just after start). Their last state stands.
     */
    Set<String> undetermined(MeterHistory meters) {
        Set<String> undetermined = new HashSet<>();
        // in Kafka mode also while the brokers do not answer: the topic's stall is not known then
        if (Double.isNaN(meters.minOver(MeterHistory.DEPTH, settings.inboxStall()))
                || meters.gauges("syncline.inbox.kafka.stall").values().stream().anyMatch(stall -> stall.isNaN())) {
            undetermined.add(AlertRule.SynclineInboxNotDraining.name());
        }
        Map<Map<String, String>, Double> age = meters.gauges("syncline.inbox.oldest.age");
        if (age.isEmpty() || age.values().stream().anyMatch(value -> value.isNaN())) {
            undetermined.add(AlertRule.SynclineInboxBacklogOld.name());
        }
        if (meters.gauges("syncline.source.silent").values().stream().anyMatch(value -> value.isNaN())) {
            undetermined.add(AlertRule.SynclineSourceSilent.name());
            undetermined.add(AlertRule.SynclineCaptureStopped.name());
        }
        if (meters.gauges("syncline.reconciliation.overdue").values().stream().anyMatch(value -> value.isNaN())) {
            undetermined.add(AlertRule.SynclineReconciliationOverdue.name());
        }
        Map<Map<String, String>, Double> stalled = meters.gauges("syncline.backfills.stalled");
        if (stalled.isEmpty() || stalled.values().stream().anyMatch(value -> value.isNaN())) {
            undetermined.add(AlertRule.SynclineBackfillStalled.name());
        }
        Duration deadLetterWindow = settings.deadLetterWindow();
        if (!meters.covers(deadLetterWindow) || Double.isNaN(meters.increase(MeterHistory.DEAD_LETTERS, deadLetterWindow))) {
            undetermined.add(AlertRule.SynclineDeadLettersGrowing.name());
        }
        Map<Map<String, String>, Double> overdue = meters.gauges("syncline.review.items.overdue");
        if (overdue.isEmpty() || overdue.values().stream().anyMatch(value -> value.isNaN())) {
            undetermined.add(AlertRule.SynclineReviewItemsOverdue.name());
        }
        return undetermined;
    }

    /** The longest window a condition reads, for the history to keep. */
    Duration longestWindow() {
        return List.of(settings.inboxStall(), settings.lagWindow(), settings.failureWindow(), settings.deadLetterWindow())
                .stream().max(Duration::compareTo).orElseThrow();
    }

    private static AlertMessage alert(AlertRule rule, String summary) {
        return new AlertMessage(rule.name(), new TreeMap<>(Map.of()), true, summary);
    }

    private static String human(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
