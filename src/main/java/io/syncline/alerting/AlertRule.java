package io.syncline.alerting;

/**
 * The alerts of k8s/overlays/prod/prometheusrule.yaml, each constant spelled as the rule names its
 * alert, so that a message of the notifier and a page from Prometheus carry the same name and lead
 * to the same runbook section (docs/reference/alerts.md).
 *
 * <p>A store-wide condition reads what every replica reads alike (a count of the shared state store;
 * in Kafka mode the inbox topic's consumer group, too), so the deployment tells it once
 * ({@link SharedAlertStates}); any other reads what the replica itself did or holds in memory (its
 * own connection to the store or to the brokers among them), and each replica tells it under its
 * own name.
 */
enum AlertRule {

    SynclineStateStoreUnreachable(false),
    SynclineKafkaInboxUnreachable(false),
    SynclineInboxNotDraining(true),
    SynclineInboxBacklogOld(true),
    SynclineSyncLagHigh(false),
    SynclineFailureSpike(false),
    SynclineDeadLettersGrowing(true),
    SynclineReviewItemsOverdue(true),
    SynclineReconciliationUntrustworthy(false),
    SynclineReconciliationQualityLow(false),
    SynclineSchemaDrift(false),
    SynclineSourceSilent(true),
    SynclineBackfillStalled(true),
    SynclineCaptureStopped(true),
    SynclineCaptureLagging(false),
    SynclineMappingPaused(true),
    SynclineReconciliationOverdue(true);

    private final boolean storeWide;

    AlertRule(boolean storeWide) {
        this.storeWide = storeWide;
    }

    /** Whether the condition of {@code message}'s alert is read from the shared state store. */
    static boolean storeWide(AlertMessage message) {
        return valueOf(message.alert()).storeWide;
    }
}
