package io.syncline.sync;

import io.syncline.mapping.RecordTransformer;
import io.syncline.state.RecordStateRepository;

import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A reference a system holds as its parent's external id ({@code Account.Ext_Id__c}), not as an
 * id the ID map knows, turned back into the parent's canonical id: the parent is the one whose
 * value there, as Syncline writes it from the values it last synced ({@link RecordTransformer#valueAt}),
 * is the value read. Real-time intake and reconciliation read such references alike.
 */
public final class ParentsByExternalId {

    private ParentsByExternalId() {
    }

    /**
     * The parents whose value of {@code path} in {@code system} is one of {@code values}, by value:
     * the candidates are the records whose last values hold the text (case ignored), each then
     * checked exactly; a value no parent has is left out.
     */
    public static Map<String, String> canonicalIds(RecordTransformer transformer, RecordStateRepository states, String entity,
            String system, String path, Collection<String> values) {
        Set<String> wanted = Set.copyOf(values);
        Map<String, String> found = new HashMap<>();
        try {
            states.lastValuesHolding(entity, wanted).forEach((canonicalId, last) -> transformer.valueAt(entity, system, path, last)
                    .map(Object::toString).filter(wanted::contains).ifPresent(value -> found.putIfAbsent(value, canonicalId)));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the last values of " + entity + ": " + e.getMessage(), e);
        }
        return found;
    }
}
