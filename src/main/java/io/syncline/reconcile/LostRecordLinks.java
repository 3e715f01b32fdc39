package io.syncline.reconcile;

import io.agroal.api.AgroalDataSource;
import io.syncline.audit.AuditEntry;
import io.syncline.audit.AuditLog;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.matching.IdMapRepository;
import io.syncline.state.RecordStateRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A record the master has and a fix's target lost: a target that does not read its records back
 * ({@link SystemTypes#readsBack(String)}: Salesforce, REST without {@code readBack: true}) is written by what Syncline remembers of it,
 * its ID map link and record state, which still say it holds the record as last written; the fix
 * would find nothing to do. Both are forgotten, with an {@code unlinked} audit entry, in one
 * transaction before the fix is queued: the fix then matches and writes the record as new (an
 * upsert by external id, or a create) and links what it wrote. A target that reads back (JDBC)
 * sees for itself that the record is gone and is left alone; so is a record whose key is not its
 * master's record id (the link cannot be found by it).
 */
@ApplicationScoped
public class LostRecordLinks implements ReconciliationResponder.LostRecords {

    private static final Logger LOG = Logger.getLogger(LostRecordLinks.class);

    @Inject
    SyncModelRegistry registry;
    @Inject
    SystemTypes types;
    @Inject
    IdMapRepository idMap;
    @Inject
    RecordStateRepository states;
    @Inject
    AuditLog audit;
    @Inject
    AgroalDataSource store;

    @Override
    public void forget(String entity, String master, String target, String key, long runId) throws SQLException {
        if (types.readsBack(target)
                || !ReconciliationService.keyIsRecordId(registry.current().model(), entity, master)) {
            return;
        }
        String canonicalId = idMap.canonicalId(entity, master, key).orElse(null);
        String targetId = canonicalId == null ? null : idMap.systemId(entity, canonicalId, target).orElse(null);
        if (targetId == null) {
            return;
        }
        try (Connection connection = store.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (idMap.unlink(connection, entity, canonicalId, target, targetId)) {
                    states.delete(connection, entity, canonicalId, target);
                    audit.record(connection, new AuditEntry(AuditEntry.Action.UNLINKED, entity, canonicalId, master, key,
                            target, targetId, null, null, null, null, null, "reconciliation run " + runId + " found "
                                    + target + " no longer has it; its link and record state are forgotten so that the fix"
                                    + " writes it anew"));
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        LOG.infof("Reconciliation run %d: %s %s is gone from %s (was %s); its link is forgotten and the fix writes it anew",
                runId, entity, key, target, targetId);
    }
}
