package io.syncline.alerting;

/**
 * The alerts of k8s/overlays/prod/prometheusrule.yaml, each constant spelled as the rule names its
 * alert, so that a message of the notifier and a page from Prometheus carry the same name and lead
 * to the same runbook section (docs/reference/alerts.md).
 *
 * <p>A store-wide condition reads the shared state store (a count every replica reads alike), so
 * the deployment tells it once ({@link SharedAlertStates}); any other reads what the replica itself
 * did or holds in memory, and each replica tells it under its own name.
 */
enum AlertRule {
    SynclineStateStoreUnreachable(false),
    SynclineInboxNotDraining(true),
    SynclineSyncLagHigh(false),
    SynclineFailureSpike(false),
    SynclineDeadLettersGrowing(true),
    SynclineReviewItemsOverdue(true),
    SynclineReconciliationUntrustworthy(false),
    SynclineReconciliationQualityLow(false),
    SynclineSchemaDrift(false);

    private final boolean storeWide;

    AlertRule(boolean storeWide) {
        this.storeWide = storeWide;
    }

    /** Whether the condition of {@code message}'s alert is read from the shared state store. */
    static boolean storeWide(AlertMessage message) {
        return valueOf(message.alert()).storeWide;
    }
}
