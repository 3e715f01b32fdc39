package io.syncline.conflict;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.util.Map;
import java.util.TreeMap;

/** The conflict strategies by name, and which one decides a field. */
@ApplicationScoped
public class ConflictStrategies {

    private final Map<String, ConflictStrategy> byName = new TreeMap<>();

    public ConflictStrategies(Instance<ConflictStrategy> strategies) {
        for (ConflictStrategy strategy : strategies) {
            ConflictStrategy clash = byName.put(strategy.name(), strategy);
            if (clash != null) {
                throw new IllegalStateException("Two conflict strategies are named '" + strategy.name() + "': "
                        + clash.getClass().getName() + " and " + strategy.getClass().getName());
            }
        }
    }

    /** The strategy for a field of an entity: for now the default, master-always-wins. */
    public ConflictStrategy forField(String entity, String field) {
        return byName.get(MasterAlwaysWinsStrategy.NAME);
    }
}
