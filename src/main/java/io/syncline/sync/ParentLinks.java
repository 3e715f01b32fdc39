package io.syncline.sync;

import io.syncline.exchange.ExchangeContract;
import io.syncline.matching.IdMapRepository;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One event's references as its target names them: for each reference field, the entity it
 * names and the target's id of each canonical id the record holds, found by the reference stage
 * ({@link ReferenceResolver}). The canonical record, its state, hash and conflicts keep canonical
 * ids; only what is written to the target ({@link #toTarget}) holds the target's, and what is read
 * back from it is turned into canonical ids again ({@link #fromTarget}). An id not among the
 * record's own (a value the target kept, a parent the record no longer names) is looked up in the
 * ID map; one the ID map does not know either is left as it is.
 */
public final class ParentLinks {

    private final String target;
    private final Map<String, String> entities;
    private final Map<String, Map<String, String>> toTarget;
    private final IdMapRepository idMap;

    /**
     * @param entities field to the entity it names
     * @param toTarget field to each canonical id's target id
     */
    ParentLinks(String target, Map<String, String> entities, Map<String, Map<String, String>> toTarget, IdMapRepository idMap) {
        this.target = target;
        this.entities = entities;
        this.toTarget = toTarget;
        this.idMap = idMap;
    }

    /** The event's links; null for an entity without references. */
    public static ParentLinks of(Exchange exchange) {
        return exchange.getProperty(ExchangeContract.PARENT_LINKS, ParentLinks.class);
    }

    /** {@code values} (canonical) with each reference as the target's id of the record it names. */
    public Map<String, Object> toTarget(Map<String, Object> values) {
        return translated(values, (field, id) -> {
            String known = toTarget.getOrDefault(field, Map.of()).get(id);
            return known != null ? known : idMap.systemId(entities.get(field), id, target).orElse(id);
        });
    }

    /** {@code values} read from the target with each reference as the canonical id of the record it names. */
    public Map<String, Object> fromTarget(Map<String, Object> values) {
        return translated(values, (field, id) -> {
            for (Map.Entry<String, String> link : toTarget.getOrDefault(field, Map.of()).entrySet()) {
                if (link.getValue().equals(id)) {
                    return link.getKey();
                }
            }
            return idMap.canonicalId(entities.get(field), target, id).orElse(id);
        });
    }

    private interface Translation {

        String apply(String field, String id);
    }

    private Map<String, Object> translated(Map<String, Object> values, Translation translation) {
        if (values == null) {
            return null;
        }
        Map<String, Object> translated = new LinkedHashMap<>(values);
        for (String field : entities.keySet()) {
            Object value = translated.get(field);
            if (value instanceof List<?> ids) {
                List<Object> each = new ArrayList<>(ids.size());
                for (Object id : ids) {
                    each.add(id == null ? null : translation.apply(field, id.toString()));
                }
                translated.put(field, each);
            } else if (value != null) {
                translated.put(field, translation.apply(field, value.toString()));
            }
        }
        return translated;
    }

    /** Gathers an event's links field by field. */
    static final class Builder {

        private final Map<String, String> entities = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> toTarget = new HashMap<>();

        void field(String field, String entity) {
            entities.put(field, entity);
        }

        void link(String field, String canonicalId, String targetId) {
            toTarget.computeIfAbsent(field, f -> new HashMap<>()).put(canonicalId, targetId);
        }

        ParentLinks build(String target, IdMapRepository idMap) {
            return new ParentLinks(target, entities, toTarget, idMap);
        }
    }
}
