package io.syncline.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The order a backfill of several entities copies them in: parents before children, by the
 * {@code ref} fields among them (a topological order; ties keep the declared order). A reference
 * of an entity to itself orders nothing (its records wait for each other in the inbox). A cycle
 * among different entities is broken by its references whose {@code missingParent} is
 * {@code empty} (their records are written with the reference empty when the parent is not there
 * yet); a cycle that no such reference breaks has no order.
 */
public final class BackfillOrder {

    private BackfillOrder() {
    }

    /** The entities parents first; empty when they form a cycle no {@code missingParent: empty} reference breaks. */
    public static Optional<List<String>> of(List<String> entities, Map<String, EntityDefinition> definitions) {
        Optional<List<String>> all = sorted(entities, parents(entities, definitions, true));
        return all.isPresent() ? all : sorted(entities, parents(entities, definitions, false));
    }

    /** The cycle that leaves {@code entities} without an order, for the problem's message: "company -> contact -> company". */
    public static String cycle(List<String> entities, Map<String, EntityDefinition> definitions) {
        Map<String, Set<String>> parents = parents(entities, definitions, false);
        for (String start : entities) {
            List<String> path = new ArrayList<>();
            if (walk(start, start, parents, path, new LinkedHashSet<>())) {
                path.add(0, start);
                return String.join(" -> ", path);
            }
        }
        return String.join(", ", entities);
    }

    private static boolean walk(String start, String at, Map<String, Set<String>> parents, List<String> path, Set<String> seen) {
        for (String parent : parents.getOrDefault(at, Set.of())) {
            path.add(parent);
            if (parent.equals(start) || (seen.add(parent) && walk(start, parent, parents, path, seen))) {
                return true;
            }
            path.remove(path.size() - 1);
        }
        return false;
    }

    /** Each entity's parents among {@code entities}; {@code withEmpty}: also through references whose missingParent is empty. */
    private static Map<String, Set<String>> parents(List<String> entities, Map<String, EntityDefinition> definitions,
            boolean withEmpty) {
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        for (String entity : entities) {
            Set<String> named = new LinkedHashSet<>();
            EntityDefinition definition = definitions.get(entity);
            if (definition != null) {
                definition.fields().values().stream()
                        .filter(field -> field.ref() != null && !field.ref().equals(entity) && entities.contains(field.ref()))
                        .filter(field -> withEmpty || field.missingParentOrDefault().then() != MissingParentSpec.Then.EMPTY)
                        .forEach(field -> named.add(field.ref()));
            }
            parents.put(entity, named);
        }
        return parents;
    }

    private static Optional<List<String>> sorted(List<String> entities, Map<String, Set<String>> parents) {
        List<String> order = new ArrayList<>(entities.size());
        List<String> left = new ArrayList<>(entities);
        while (!left.isEmpty()) {
            String next = left.stream().filter(entity -> order.containsAll(parents.get(entity))).findFirst().orElse(null);
            if (next == null) {
                return Optional.empty();
            }
            order.add(next);
            left.remove(next);
        }
        return Optional.of(order);
    }
}
