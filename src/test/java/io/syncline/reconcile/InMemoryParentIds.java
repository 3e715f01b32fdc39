package io.syncline.reconcile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ID map in memory, as the state store holds it: by system, the canonical id by the system's
 * own id; and by a parent's external id value, its canonical id. Each look-up is noted in
 * {@link #asked}, so that a test sees how many trips a chunk takes.
 */
final class InMemoryParentIds implements ParentIds {

    final Map<String, Map<String, String>> bySystem;
    final Map<String, String> byExternalId;
    final List<String> asked = new ArrayList<>();

    InMemoryParentIds(Map<String, Map<String, String>> bySystem, Map<String, String> byExternalId) {
        this.bySystem = bySystem;
        this.byExternalId = byExternalId;
    }

    @Override
    public Map<String, String> canonicalIds(String entity, String system, Collection<String> systemIds) {
        asked.add(entity + "@" + system + ":" + systemIds.size());
        Map<String, String> found = new HashMap<>();
        systemIds.forEach(id -> Optional.ofNullable(bySystem.get(system).get(id)).ifPresent(c -> found.put(id, c)));
        return found;
    }

    @Override
    public Map<String, String> systemIds(String entity, Collection<String> canonicalIds, String system) {
        Map<String, String> found = new HashMap<>();
        bySystem.get(system).forEach((own, canonical) -> {
            if (canonicalIds.contains(canonical)) {
                found.put(canonical, own);
            }
        });
        return found;
    }

    @Override
    public Map<String, String> canonicalIdsByExternalId(String entity, String system, String path, Collection<String> values) {
        asked.add(entity + "@" + system + " by " + path + ":" + values.size());
        Map<String, String> found = new HashMap<>();
        values.forEach(value -> Optional.ofNullable(byExternalId.get(value)).ifPresent(c -> found.put(value, c)));
        return found;
    }
}
