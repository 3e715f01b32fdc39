package io.syncline.sync;

import io.syncline.exchange.ExchangeContract;
import io.syncline.matching.IdMapRepository;
import org.apache.camel.Exchange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One event's references as its target names them: for each reference field (a document's line
 * reference under {@code lines.product}), the entity it
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
    private final Unlinked unlinked;

    /**
     * Parents named by their external id that are not linked in the target yet, described, and
     * when the record waiting for them is due again and gives up: a target that finds no record
     * holding such an id makes the record wait for them ({@link #waitFor}).
     */
    record Unlinked(List<String> parents, Instant retryAt, Instant giveUpAt) {
    }

    /**
     * @param entities field to the entity it names
     * @param toTarget field to each canonical id's target id (or, for a field written by the
     *                 parent's external id, that id)
     */
    ParentLinks(String target, Map<String, String> entities, Map<String, Map<String, String>> toTarget, IdMapRepository idMap,
            Unlinked unlinked) {
        this.target = target;
        this.entities = entities;
        this.toTarget = toTarget;
        this.idMap = idMap;
        this.unlinked = unlinked;
    }

    /**
     * What a target answers for a write whose parent, named by its external id, it does not have:
     * where a parent so named was not linked in the target, the record waits for it as for a parent
     * not linked ({@link ParentNotLinkedException}: pending, the attempt not counted), its reason
     * naming the parents and the target's answer; empty where every parent was linked there (the
     * target's answer is then about a parent it lost, not one still to come).
     */
    public Optional<ParentNotLinkedException> waitFor(String answer) {
        if (unlinked == null) {
            return Optional.empty();
        }
        return Optional.of(new ParentNotLinkedException(String.join("; ", unlinked.parents()) + " (" + answer + ")",
                unlinked.retryAt(), unlinked.giveUpAt()));
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
            int dot = field.indexOf('.');
            if (dot > 0) {
                translated.put(field.substring(0, dot), inLines(translated.get(field.substring(0, dot)), field,
                        field.substring(dot + 1), translation));
                continue;
            }
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

    /** A document's lines with the reference {@code item} of each translated; {@code key} is the reference's ({@code lines.product}). */
    private static Object inLines(Object lines, String key, String item, Translation translation) {
        if (!(lines instanceof List<?> elements)) {
            return lines;
        }
        List<Object> each = new ArrayList<>(elements.size());
        for (Object element : elements) {
            if (element instanceof Map<?, ?> line && line.get(item) != null) {
                Map<Object, Object> copy = new LinkedHashMap<>(line);
                copy.put(item, translation.apply(key, line.get(item).toString()));
                each.add(copy);
            } else {
                each.add(element);
            }
        }
        return each;
    }

    /** Gathers an event's links field by field. */
    static final class Builder {

        private final Map<String, String> entities = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> toTarget = new HashMap<>();
        private Unlinked unlinked;

        void field(String field, String entity) {
            entities.put(field, entity);
        }

        void link(String field, String canonicalId, String targetId) {
            toTarget.computeIfAbsent(field, f -> new HashMap<>()).put(canonicalId, targetId);
        }

        void unlinked(Unlinked parents) {
            unlinked = parents;
        }

        ParentLinks build(String target, IdMapRepository idMap) {
            return new ParentLinks(target, entities, toTarget, idMap, unlinked);
        }
    }
}
