package io.syncline.audit;

import io.syncline.sync.SyncUnit;

/**
 * Not a test: the mutation PackageCyclesTest shows its rule failing on. sync records in the audit
 * log, so an audit class that uses sync makes the two packages use each other. Only that test
 * imports this class; the rule on the main classes never sees it.
 */
final class AuditClassImportingSync {

    private SyncUnit unit;

    private AuditClassImportingSync() {
    }
}
