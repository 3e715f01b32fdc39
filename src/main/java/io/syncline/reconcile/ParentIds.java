package io.syncline.reconcile;

import java.util.Collection;
import java.util.Map;

/**
 * The ID map as reconciliation reads it, a page at a time: the canonical ids of the parents a
 * side's references name by that system's own ids, and the ids in a system of canonical parents.
 * Ids the ID map does not know are left out of the answers.
 */
public interface ParentIds {

    /** For a model without references: asked anything, it fails. */
    ParentIds NONE = new ParentIds() {

        @Override
        public Map<String, String> canonicalIds(String entity, String system, Collection<String> systemIds) {
            throw new IllegalStateException("References of " + entity + " cannot be compared: no ID map was given");
        }

        @Override
        public Map<String, String> systemIds(String entity, Collection<String> canonicalIds, String system) {
            throw new IllegalStateException("References of " + entity + " cannot be compared: no ID map was given");
        }
    };

    /** Canonical ids by the system's own id. */
    Map<String, String> canonicalIds(String entity, String system, Collection<String> systemIds);

    /** The system's own ids by canonical id. */
    Map<String, String> systemIds(String entity, Collection<String> canonicalIds, String system);

    /**
     * Canonical ids by the value the system holds in the parents' external id field {@code path}
     * (a Salesforce relationship read as {@code Account.Ext_Id__c}): each parent's value there as
     * Syncline writes it from the values the parent was last synced with. A value no parent has is
     * left out.
     */
    default Map<String, String> canonicalIdsByExternalId(String entity, String system, String path, Collection<String> values) {
        throw new IllegalStateException("References of " + entity + " by " + path + " cannot be compared: no record states were given");
    }
}
