package io.syncline.reconcile;

import io.syncline.model.CanonicalField;
import io.syncline.model.EntityDefinition;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The compared fields of a job that name another entity's record ({@code ref}), and what
 * reconciliation does with them. Each side holds its own system's ids of the parents; before the
 * values are hashed they become the parents' canonical ids through the ID map, one look-up per
 * referenced entity and chunk of records, so that the same company under two systems' ids is the
 * same value. An id the ID map does not know for that side (a dangling reference: its parent is not
 * linked, or does not exist) becomes a mark naming the id and the system,
 * {@code {"dangling": "co-9", "of": "erp"}}, which equals nothing on the other side: a dangling
 * reference is always a difference of its own, noted as one, never silently equal.
 *
 * <p>A reference a system holds as its parent's external id (a Salesforce relationship read as
 * {@code Account.Ext_Id__c}, {@code externalId} in its mapping) holds no id the ID map knows: its
 * value becomes the canonical id of the parent whose value there, as Syncline writes it, is that
 * value ({@link ParentIds#canonicalIdsByExternalId}), and is dangling where no parent's is.
 *
 * <p>A compared list of child records ({@code type: list}) whose element fields are references (an
 * invoice line's {@code product}) has each line's references translated the same way, in the same
 * look-ups per chunk; a difference of the list is noted with the line references that differ or
 * dangle, each named by its line ({@code lines[2].product}).
 */
final class ComparedReferences {

    static final String DANGLING = "dangling";
    static final String OF = "of";
    static final ComparedReferences NONE = new ComparedReferences(Map.of(), Map.of(), Map.of());

    /** Referenced entity by compared field. */
    private final Map<String, String> entities;
    /** By compared list of child records: referenced entity by element field. */
    private final Map<String, Map<String, String>> lines;
    /** By system: the compared references it holds as the parent's external id, with that id's field. */
    private final Map<String, Map<String, String>> externalIds;

    private ComparedReferences(Map<String, String> entities, Map<String, Map<String, String>> lines,
            Map<String, Map<String, String>> externalIds) {
        this.entities = entities;
        this.lines = lines;
        this.externalIds = externalIds;
    }

    static ComparedReferences of(ReconciliationJob job, EntityDefinition entity) {
        Map<String, String> entities = new TreeMap<>();
        for (Map.Entry<String, CanonicalField> reference : entity.references().entrySet()) {
            if (job.compare().contains(reference.getKey())) {
                entities.put(reference.getKey(), reference.getValue().ref());
            }
        }
        Map<String, Map<String, String>> lines = new TreeMap<>();
        entity.fields().forEach((name, field) -> {
            if (field != null && field.records() && job.compare().contains(name) && !field.itemReferences().isEmpty()) {
                Map<String, String> items = new TreeMap<>();
                field.itemReferences().forEach((item, reference) -> items.put(item, reference.ref()));
                lines.put(name, items);
            }
        });
        Map<String, Map<String, String>> externalIds = new HashMap<>();
        for (String side : List.of(job.sideA(), job.sideB())) {
            var mapping = entity.mappings().get(side);
            if (mapping == null) {
                continue;
            }
            mapping.fields().stream().filter(field -> field.externalId() != null && field.direction().reads()
                    && entities.containsKey(field.field()))
                    .forEach(field -> externalIds.computeIfAbsent(side, s -> new HashMap<>()).put(field.field(), field.externalId()));
        }
        return entities.isEmpty() && lines.isEmpty() ? NONE : new ComparedReferences(entities, lines, externalIds);
    }

    boolean isEmpty() {
        return entities.isEmpty() && lines.isEmpty();
    }

    /** The referenced entity by compared reference field. */
    Map<String, String> fields() {
        return entities;
    }

    /**
     * Replaces, in each record, the system's own ids of the parents by their canonical ids (a list's
     * sorted), or by a dangling reference's mark: one look-up per referenced entity for all records.
     */
    void translate(List<Map<String, Object>> records, String system, ParentIds parents) {
        Map<String, String> byExternalId = externalIds.getOrDefault(system, Map.of());
        Map<String, Set<String>> asked = new HashMap<>();
        Map<String, Map<String, String>> byValue = new HashMap<>();
        for (String field : byExternalId.keySet()) {
            Set<String> values = new HashSet<>();
            records.forEach(record -> ids(record.get(field)).stream().filter(java.util.Objects::nonNull).forEach(id -> values.add(id(id))));
            byValue.put(field, values.isEmpty() ? Map.of()
                    : parents.canonicalIdsByExternalId(entities.get(field), system, byExternalId.get(field), values));
        }
        for (Map<String, Object> record : records) {
            entities.forEach((field, entity) -> {
                if (byExternalId.containsKey(field)) {
                    return;
                }
                for (Object id : ids(record.get(field))) {
                    if (id != null) {
                        asked.computeIfAbsent(entity, e -> new HashSet<>()).add(id(id));
                    }
                }
            });
            lines.forEach((field, items) -> eachLine(record.get(field), line -> items.forEach((item, entity) -> {
                if (line.get(item) != null) {
                    asked.computeIfAbsent(entity, e -> new HashSet<>()).add(id(line.get(item)));
                }
            })));
        }
        Map<String, Map<String, String>> canonical = new HashMap<>();
        asked.forEach((entity, ids) -> canonical.put(entity, parents.canonicalIds(entity, system, ids)));
        for (Map<String, Object> record : records) {
            entities.forEach((field, entity) -> {
                Object value = record.get(field);
                if (value == null) {
                    return;
                }
                Map<String, String> known = byValue.containsKey(field) ? byValue.get(field)
                        : canonical.getOrDefault(entity, Map.of());
                if (value instanceof Collection<?> list) {
                    List<Object> translated = new ArrayList<>();
                    for (Object id : list) {
                        translated.add(id == null ? null : canonicalOrDangling(known, id(id), system));
                    }
                    translated.sort(Comparator.nullsFirst(Comparator.comparing(Object::toString)));
                    record.put(field, translated);
                } else {
                    record.put(field, canonicalOrDangling(known, id(value), system));
                }
            });
            lines.forEach((field, items) -> {
                if (!(record.get(field) instanceof List<?> elements)) {
                    return;
                }
                List<Object> translated = new ArrayList<>(elements.size());
                for (Object element : elements) {
                    if (!(element instanceof Map<?, ?> line)) {
                        translated.add(element);
                        continue;
                    }
                    Map<String, Object> copy = new LinkedHashMap<>();
                    line.forEach((key, value) -> copy.put(String.valueOf(key), value));
                    items.forEach((item, entity) -> {
                        if (copy.get(item) != null) {
                            copy.put(item, canonicalOrDangling(canonical.getOrDefault(entity, Map.of()), id(copy.get(item)), system));
                        }
                    });
                    translated.add(copy);
                }
                record.put(field, translated);
            });
        }
    }

    private static void eachLine(Object value, java.util.function.Consumer<Map<?, ?>> action) {
        if (value instanceof List<?> elements) {
            for (Object element : elements) {
                if (element instanceof Map<?, ?> line) {
                    action.accept(line);
                }
            }
        }
    }

    /**
     * Notes each differing reference with its entity and, for a dangling one, its id; adds a note
     * for each dangling reference a record holds that is not among the differences already (a
     * record on one side only).
     */
    List<Difference.FieldDifference> note(List<Difference.FieldDifference> fields, Map<String, Object> valuesA,
            Map<String, Object> valuesB) {
        if (isEmpty()) {
            return fields;
        }
        List<Difference.FieldDifference> noted = new ArrayList<>(fields.size());
        Set<String> named = new HashSet<>();
        for (Difference.FieldDifference field : fields) {
            String entity = entities.get(field.field());
            Map<String, String> items = lines.get(field.field());
            noted.add(entity != null ? reference(field.field(), entity, field.a(), field.b())
                    : items != null ? reference(field.field(), String.join(", ", new java.util.TreeSet<>(items.values())),
                            field.a(), field.b())
                    : field);
            named.add(field.field());
        }
        java.util.stream.Stream.concat(entities.entrySet().stream(), lines.entrySet().stream()
                .map(list -> Map.entry(list.getKey(), String.join(", ", new java.util.TreeSet<>(list.getValue().values())))))
                .forEach(reference -> {
                    String field = reference.getKey();
                    Object a = valuesA == null ? null : valuesA.get(field);
                    Object b = valuesB == null ? null : valuesB.get(field);
                    if (!named.contains(field) && (hasDangling(a) || hasDangling(b))) {
                        noted.add(reference(field, reference.getValue(), a, b));
                    }
                });
        noted.sort(Comparator.comparing(Difference.FieldDifference::field));
        return noted;
    }

    /**
     * Completes the notes of a batch of differences: each side's own ids of the parents named by
     * canonical id (one look-up per referenced entity and side for the batch), and the text a
     * person reads.
     */
    List<Difference> complete(List<Difference> batch, ReconciliationJob job, ParentIds parents) {
        if (isEmpty() || batch.stream().noneMatch(ComparedReferences::hasReference)) {
            return batch;
        }
        Map<String, Set<String>> askedA = new HashMap<>();
        Map<String, Set<String>> askedB = new HashMap<>();
        for (Difference difference : batch) {
            for (Difference.FieldDifference field : difference.fields()) {
                Map<String, String> items = lines.get(field.field());
                if (field.reference() != null && items != null) {
                    lineIds(items, field.a(), askedA);
                    lineIds(items, field.b(), askedB);
                } else if (field.reference() != null) {
                    canonicalIds(field.a()).forEach(id -> askedA.computeIfAbsent(field.reference().entity(), e -> new HashSet<>()).add(id));
                    canonicalIds(field.b()).forEach(id -> askedB.computeIfAbsent(field.reference().entity(), e -> new HashSet<>()).add(id));
                }
            }
        }
        Map<String, Map<String, String>> ownA = new HashMap<>();
        askedA.forEach((entity, ids) -> ownA.put(entity, parents.systemIds(entity, ids, job.sideA())));
        Map<String, Map<String, String>> ownB = new HashMap<>();
        askedB.forEach((entity, ids) -> ownB.put(entity, parents.systemIds(entity, ids, job.sideB())));
        List<Difference> completed = new ArrayList<>(batch.size());
        for (Difference difference : batch) {
            if (!hasReference(difference)) {
                completed.add(difference);
                continue;
            }
            List<Difference.FieldDifference> fields = new ArrayList<>();
            for (Difference.FieldDifference field : difference.fields()) {
                Difference.Reference reference = field.reference();
                if (reference == null) {
                    fields.add(field);
                    continue;
                }
                if (lines.containsKey(field.field())) {
                    fields.add(lineDifference(field, job, ownA, ownB));
                    continue;
                }
                Object idA = ownIds(field.a(), ownA.getOrDefault(reference.entity(), Map.of()));
                Object idB = ownIds(field.b(), ownB.getOrDefault(reference.entity(), Map.of()));
                String note = note(reference.entity(), job, field.a(), idA, field.b(), idB);
                fields.add(new Difference.FieldDifference(field.field(), field.a(), field.b(),
                        new Difference.Reference(reference.entity(), idA, idB, note)));
            }
            completed.add(new Difference(difference.key(), difference.bucket(), fields, difference.valuesA(), difference.valuesB(),
                    difference.recordAt(), difference.action(), difference.expectedBecause()));
        }
        return completed;
    }

    /** The canonical ids the lines of a staged list name, by referenced entity, added to {@code asked}. */
    private static void lineIds(Map<String, String> items, Object value, Map<String, Set<String>> asked) {
        eachLine(value, line -> items.forEach((item, entity) -> canonicalIds(line.get(item))
                .forEach(id -> asked.computeIfAbsent(entity, e -> new HashSet<>()).add(id))));
    }

    /**
     * A difference of a list of child records with the line references that differ, line by line
     * (in the lines' staged order: by their key where the list has one): each side's own id of the
     * parent by line reference ({@code lines[2].product}), and a note naming both parents, or the
     * dangling one. Without a differing line reference (a quantity changed) it is the list's plain
     * difference.
     */
    private Difference.FieldDifference lineDifference(Difference.FieldDifference field, ReconciliationJob job,
            Map<String, Map<String, String>> ownA, Map<String, Map<String, String>> ownB) {
        List<Map<?, ?>> linesA = new ArrayList<>();
        eachLine(field.a(), linesA::add);
        List<Map<?, ?>> linesB = new ArrayList<>();
        eachLine(field.b(), linesB::add);
        Map<String, Object> idsA = new LinkedHashMap<>();
        Map<String, Object> idsB = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        Set<String> named = new java.util.TreeSet<>();
        for (int i = 0; i < Math.max(linesA.size(), linesB.size()); i++) {
            Map<?, ?> lineA = i < linesA.size() ? linesA.get(i) : null;
            Map<?, ?> lineB = i < linesB.size() ? linesB.get(i) : null;
            for (Map.Entry<String, String> item : lines.get(field.field()).entrySet()) {
                Object a = lineA == null ? null : lineA.get(item.getKey());
                Object b = lineB == null ? null : lineB.get(item.getKey());
                if (java.util.Objects.equals(a, b)) {
                    continue;
                }
                String label = field.field() + "[" + i + "]." + item.getKey();
                Object idA = ownIds(a, ownA.getOrDefault(item.getValue(), Map.of()));
                Object idB = ownIds(b, ownB.getOrDefault(item.getValue(), Map.of()));
                idsA.put(label, idA);
                idsB.put(label, idB);
                named.add(item.getValue());
                notes.add(label + ": " + note(item.getValue(), job, a, idA, b, idB));
            }
        }
        if (notes.isEmpty()) {
            return new Difference.FieldDifference(field.field(), field.a(), field.b());
        }
        return new Difference.FieldDifference(field.field(), field.a(), field.b(),
                new Difference.Reference(String.join(", ", named), idsA, idsB, String.join("; ", notes)));
    }

    /** Whether the field difference names a dangling reference on either side. */
    static boolean dangling(Difference.FieldDifference field) {
        return field.reference() != null && (hasDangling(field.a()) || hasDangling(field.b()));
    }

    /** The canonical ids a staged reference value holds (a dangling reference's mark and nulls left out). */
    static List<String> canonicalIds(Object value) {
        List<String> ids = new ArrayList<>();
        for (Object id : ids(value)) {
            if (id instanceof String text) {
                ids.add(text);
            }
        }
        return ids;
    }

    /** The system's own id a dangling reference's mark names, or null when the value is no such mark. */
    static String danglingId(Object value) {
        return value instanceof Map<?, ?> mark && mark.get(DANGLING) != null ? mark.get(DANGLING).toString() : null;
    }

    /** Whether the value holds a dangling reference's mark: as itself, in its list, or in one of its lines. */
    static boolean hasDangling(Object value) {
        return ids(value).stream().anyMatch(id -> danglingId(id) != null
                || id instanceof Map<?, ?> line && line.values().stream().anyMatch(item -> danglingId(item) != null));
    }

    private static boolean hasReference(Difference difference) {
        return difference.fields().stream().anyMatch(field -> field.reference() != null);
    }

    private static Object canonicalOrDangling(Map<String, String> known, String id, String system) {
        String canonical = known.get(id);
        if (canonical != null) {
            return canonical;
        }
        Map<String, Object> mark = new LinkedHashMap<>();
        mark.put(DANGLING, id);
        mark.put(OF, system);
        return mark;
    }

    private static Difference.FieldDifference reference(String field, String entity, Object a, Object b) {
        return new Difference.FieldDifference(field, a, b, new Difference.Reference(entity, null, null, null));
    }

    /** A side's own ids of the parents its value names: by the ID map, or the dangling id itself. */
    private static Object ownIds(Object value, Map<String, String> own) {
        if (value instanceof List<?> list) {
            List<Object> ids = new ArrayList<>();
            for (Object id : list) {
                ids.add(ownId(id, own));
            }
            return ids;
        }
        return ownId(value, own);
    }

    private static String ownId(Object value, Map<String, String> own) {
        String dangling = danglingId(value);
        return dangling != null ? dangling : value == null ? null : own.get(value.toString());
    }

    private static String note(String entity, ReconciliationJob job, Object a, Object idA, Object b, Object idB) {
        List<String> dangling = new ArrayList<>();
        danglingNotes(entity, a, dangling);
        danglingNotes(entity, b, dangling);
        if (!dangling.isEmpty()) {
            return String.join("; ", dangling);
        }
        return job.sideA() + " names " + names(entity, a, idA) + ", " + job.sideB() + " names " + names(entity, b, idB);
    }

    private static void danglingNotes(String entity, Object value, List<String> notes) {
        for (Object id : ids(value)) {
            if (id instanceof Map<?, ?> mark && danglingId(mark) != null) {
                notes.add("dangling reference: " + entity + " " + danglingId(mark) + " of " + mark.get(OF)
                        + " is not linked in the ID map");
            }
        }
    }

    private static String names(String entity, Object canonical, Object own) {
        if (canonical == null || canonical instanceof List<?> list && list.isEmpty()) {
            return "no " + entity;
        }
        if (canonical instanceof List<?> list) {
            List<String> each = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                each.add(name(list.get(i), own instanceof List<?> ids && i < ids.size() ? ids.get(i) : null));
            }
            return entity + " " + String.join(", ", each);
        }
        return entity + " " + name(canonical, own);
    }

    private static String name(Object canonical, Object own) {
        return canonical + (own == null ? " (not linked there)" : " (its id " + own + ")");
    }

    private static List<?> ids(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof Collection<?> list ? new ArrayList<>(list) : List.of(value);
    }

    /** An id as the ID map holds it: text, a number without a fraction's trailing zeros. */
    private static String id(Object id) {
        return id instanceof BigDecimal decimal ? decimal.stripTrailingZeros().toPlainString() : id.toString();
    }
}
