package io.syncline.privacy.erase;

import io.syncline.model.CanonicalField;
import io.syncline.model.EntityDefinition;
import io.syncline.model.ParentErased;
import io.syncline.model.SyncModel;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The records an erasure reaches through the model's references: each record naming an erased
 * record in a field with {@code onParentErased: erase} is erased too, and so on from it; one naming
 * it in a field with {@code detach} (the default) keeps its record with the reference emptied. A
 * record is visited once, so rules of {@code erase} that form a cycle (a company's primary contact,
 * a contact's company) end; a record both erased and detached is erased.
 */
public final class ChildWalk {

    /** The records of {@code entity} whose reference field {@code field} names record {@code parentId}. */
    @FunctionalInterface
    public interface Naming {

        Set<String> children(String entity, String field, String parentId) throws SQLException;
    }

    /** A record: its entity and canonical id. */
    public record Node(String entity, String canonicalId) {
    }

    /** A child that stays, each of its reference fields with the erased records it names there. */
    public record Detach(String entity, String canonicalId, Map<String, Set<String>> erasedParents) {
    }

    /** The children erased (not the records the request named) and those detached. */
    public record Children(Set<Node> erased, List<Detach> detached) {

        public static final Children NONE = new Children(Set.of(), List.of());

        /** Per entity, how many children were erased and how many detached ({@code {"contact": {"erased": 1}}}). */
        public Map<String, Map<String, Integer>> counts() {
            Map<String, Map<String, Integer>> counts = new TreeMap<>();
            erased.forEach(node -> counts.computeIfAbsent(node.entity(), entity -> new TreeMap<>()).merge("erased", 1, Integer::sum));
            detached.forEach(child -> counts.computeIfAbsent(child.entity(), entity -> new TreeMap<>()).merge("detached", 1,
                    Integer::sum));
            return counts;
        }
    }

    private ChildWalk() {
    }

    /** From the records of {@code entity} the request erases, every child the model's rules reach. */
    public static Children walk(SyncModel model, String entity, Collection<String> canonicalIds, Naming naming)
            throws SQLException {
        Set<Node> roots = new LinkedHashSet<>();
        canonicalIds.forEach(id -> roots.add(new Node(entity, id)));
        Set<Node> erased = new LinkedHashSet<>(roots);
        Map<Node, Map<String, Set<String>>> detached = new LinkedHashMap<>();
        Deque<Node> next = new ArrayDeque<>(roots);
        while (!next.isEmpty()) {
            Node parent = next.poll();
            for (Map.Entry<String, EntityDefinition> child : model.entities().entrySet()) {
                for (Map.Entry<String, CanonicalField> field : child.getValue().fields().entrySet()) {
                    CanonicalField reference = field.getValue();
                    if (reference == null || !parent.entity().equals(reference.ref())) {
                        continue;
                    }
                    for (String id : naming.children(child.getKey(), field.getKey(), parent.canonicalId())) {
                        Node node = new Node(child.getKey(), id);
                        if (reference.onParentErasedOrDefault() == ParentErased.ERASE) {
                            if (erased.add(node)) {
                                next.add(node);
                            }
                        } else {
                            detached.computeIfAbsent(node, key -> new TreeMap<>())
                                    .computeIfAbsent(field.getKey(), key -> new TreeSet<>()).add(parent.canonicalId());
                        }
                    }
                }
            }
        }
        erased.removeAll(roots);
        List<Detach> kept = new ArrayList<>();
        detached.forEach((node, fields) -> {
            if (!erased.contains(node) && !roots.contains(node)) {
                kept.add(new Detach(node.entity(), node.canonicalId(), fields));
            }
        });
        return new Children(erased, kept);
    }
}
