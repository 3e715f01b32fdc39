package io.syncline.alerting;

/**
 * The alerts of k8s/overlays/prod/prometheusrule.yaml, each constant spelled as the rule names its
 * alert, so that a message of the notifier and a page from Prometheus carry the same name and lead
 * to the same runbook section (docs/reference/alerts.md).
 */
enum AlertRule {
    SynclineStateStoreUnreachable,
    SynclineInboxNotDraining,
    SynclineSyncLagHigh,
    SynclineFailureSpike,
    SynclineDeadLettersGrowing,
    SynclineReviewItemsOverdue,
    SynclineReconciliationUntrustworthy,
    SynclineReconciliationQualityLow,
    SynclineSchemaDrift
}
