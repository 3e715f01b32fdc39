package io.syncline.mapping;

import io.syncline.mapping.transform.TransformContext;
import io.syncline.mapping.transform.TransformException;
import io.syncline.model.CanonicalField;
import io.syncline.model.EntityDefinition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The transformer stage: a system's record to the canonical record and the canonical record to
 * another system's record, through the compiled field contracts.
 */
public final class RecordTransformer {

    private final Map<String, EntityDefinition> entities;
    private final Map<String, Map<String, FieldContract>> contracts;
    /** Each entity's reference fields, found once per model: the apply route asks for every event. */
    private final Map<String, Map<String, CanonicalField>> references = new HashMap<>();
    /** Each entity's lists of child records whose lines name other records, found once per model too. */
    private final Map<String, Map<String, CanonicalField>> lines = new HashMap<>();

    public RecordTransformer(Map<String, EntityDefinition> entities, Map<String, Map<String, FieldContract>> contracts) {
        this.entities = entities;
        this.contracts = contracts;
        entities.forEach((name, entity) -> references.put(name, Collections.unmodifiableMap(entity.references())));
        entities.forEach((name, entity) -> lines.put(name, Collections.unmodifiableMap(entity.linesWithReferences())));
    }

    public FieldContract contract(String entity, String system) {
        FieldContract contract = contracts.getOrDefault(entity, Map.of()).get(system);
        if (contract == null) {
            throw new IllegalArgumentException("No mapping of entity '" + entity + "' for system '" + system
                    + "' in the sync model; declared: " + contracts.keySet());
        }
        return contract;
    }

    /**
     * Reads {@code source} through the system's contract. Every field problem is collected before
     * the record is rejected, so that one dead letter names all of them.
     *
     * @throws RecordRejectedException a value failed its transforms or a {@code reject} field is missing
     * @throws RecordHeldException     a {@code hold} field is missing
     */
    public CanonicalRecord toCanonical(String entity, String system, Map<String, Object> source) {
        return toCanonical(entity, system, source, Map.of(), true);
    }

    /**
     * As {@link #toCanonical(String, String, Map)}, with values a person supplied (in canonical
     * form) for fields the {@code hold} policy would hold: the resolution of a held record.
     */
    public CanonicalRecord toCanonical(String entity, String system, Map<String, Object> source, Map<String, Object> supplied) {
        return toCanonical(entity, system, source, supplied, true);
    }

    /**
     * {@link #toCanonical} without the version hash of the whole record ({@code versionHash} is
     * null), for a caller that hashes its own selection of the fields: reconciliation reads
     * millions of records and hashes only the compared ones.
     */
    public CanonicalRecord toCanonicalUnhashed(String entity, String system, Map<String, Object> source) {
        return toCanonical(entity, system, source, Map.of(), false);
    }

    private CanonicalRecord toCanonical(String entity, String system, Map<String, Object> source, Map<String, Object> supplied,
            boolean hashed) {
        FieldContract contract = contract(entity, system);
        if (isDeletion(contract, source)) {
            return deletion(contract, source, hashed);
        }
        Map<String, Object> canonical = new LinkedHashMap<>(capacity(contract));
        List<String> rejected = new ArrayList<>();
        List<String> held = new ArrayList<>();
        List<String> heldFields = new ArrayList<>();
        for (CompiledField field : contract.fields()) {
            if (!field.direction().reads()) {
                continue;
            }
            // A field the source did not send stays out of the record (an update must not blank it);
            // a computed field is kept only when it computes to something.
            Object raw = field.steps() == null ? null : FieldPaths.get(source, field.steps());
            boolean present = !field.computed() && (raw != null || FieldPaths.has(source, field.steps()));
            Object value = null;
            if (field.shape() != CompiledField.Shape.VALUE) {
                int problems = rejected.size();
                value = ListValues.toCanonical(field, raw, entity, system, rejected);
                if (rejected.size() > problems) {
                    continue;
                }
            } else {
                try {
                    value = field.transforms().toCanonical(raw, new TransformContext(entity, system, field.field(), canonical));
                } catch (TransformException e) {
                    rejected.add(sensitive(entity, field.field()) ? e.messageWithoutValue() : e.getMessage());
                    continue;
                }
            }
            if (isMissing(value) && field.required() != null) {
                String reason = "required field " + field.field() + " (" + system + " " + field.path() + ") is missing";
                switch (field.required().kind()) {
                    case REJECT -> rejected.add(reason);
                    case HOLD -> {
                        if (supplied.get(field.field()) != null) {
                            canonical.put(field.field(), supplied.get(field.field()));
                            continue;
                        }
                        held.add(reason);
                        heldFields.add(field.field());
                    }
                    case DEFAULT -> {
                        canonical.put(field.field(), field.required().defaultValue());
                        continue;
                    }
                }
            }
            if (present || value != null) {
                canonical.put(field.field(), value);
            }
        }
        Object sourceId = FieldPaths.get(source, contract.keySteps());
        if (sourceId instanceof Map<?, ?> || sourceId instanceof Collection<?>) {
            rejected.add("the record's id (" + system + " " + contract.keyPath() + ") is not a single value");
        }
        if (!rejected.isEmpty()) {
            throw new RecordRejectedException(entity, system, rejected);
        }
        CanonicalRecord record = new CanonicalRecord(entity, system, sourceId == null ? null : String.valueOf(sourceId),
                canonical, hashed ? VersionHasher.hash(canonical, contract.hashOrder()) : null, null);
        if (!held.isEmpty()) {
            throw new RecordHeldException(record, held, heldFields,
                    contract.fields().stream().filter(CompiledField::computed).map(CompiledField::field).toList());
        }
        return record;
    }

    /**
     * Writes the canonical fields through the target system's contract. Fields the canonical
     * record does not carry are left out, so that an update never blanks what it did not know.
     */
    public Map<String, Object> toSystem(String entity, String system, Map<String, Object> canonical) {
        FieldContract contract = contract(entity, system);
        Map<String, Object> target = new LinkedHashMap<>(capacity(contract));
        for (CompiledField field : contract.fields()) {
            if (!field.direction().writes() || field.path() == null
                    || !(field.computed() || canonical.containsKey(field.field()))) {
                continue;
            }
            Object value = field.shape() != CompiledField.Shape.VALUE
                    ? ListValues.toSystem(field, canonical.get(field.field()), entity, system)
                    : field.transforms().toSystem(canonical.get(field.field()), new TransformContext(entity, system, field.field(), canonical));
            FieldPaths.set(target, field.steps(), value);
        }
        return target;
    }

    /**
     * The value the system's contract writes at {@code path} from the canonical fields, as
     * {@link #toSystem} would write it; empty where the contract writes nothing there.
     */
    public Optional<Object> valueAt(String entity, String system, String path, Map<String, Object> canonical) {
        for (CompiledField field : contract(entity, system).fields()) {
            if (field.direction().writes() && path.equals(field.path()) && field.shape() == CompiledField.Shape.VALUE
                    && (field.computed() || canonical.containsKey(field.field()))) {
                return Optional.ofNullable(field.transforms().toSystem(canonical.get(field.field()),
                        new TransformContext(entity, system, field.field(), canonical)));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code source} is a deletion by its contract's delete flag. */
    public static boolean isDeletion(FieldContract contract, Map<String, Object> source) {
        if (contract.delete() == null || contract.delete().flag() == null) {
            return false;
        }
        Object flag = FieldPaths.get(source, contract.delete().flag());
        return Boolean.TRUE.equals(flag) || flag != null && "true".equalsIgnoreCase(flag.toString());
    }

    /**
     * A deletion needs only the record's id and, where the entity has one, its modification time
     * (a late update must not resurrect it): required-field policies do not apply to what a
     * deleted record no longer sends.
     */
    private CanonicalRecord deletion(FieldContract contract, Map<String, Object> source, boolean hashed) {
        Object sourceId = FieldPaths.get(source, contract.keySteps());
        if (sourceId == null) {
            throw new RecordRejectedException(contract.entity(), contract.system(),
                    List.of("a deletion without the record's id (" + contract.system() + " " + contract.keyPath() + ")"));
        }
        String modifiedAt = entity(contract.entity()).modifiedAt();
        Map<String, Object> canonical = new LinkedHashMap<>();
        for (CompiledField field : contract.fields()) {
            if (field.direction().reads() && field.steps() != null && field.field().equals(modifiedAt)) {
                Object raw = FieldPaths.get(source, field.steps());
                try {
                    canonical.put(modifiedAt, field.transforms().toCanonical(raw,
                            new TransformContext(contract.entity(), contract.system(), modifiedAt, canonical)));
                } catch (TransformException e) {
                    throw new RecordRejectedException(contract.entity(), contract.system(), List.of(e.getMessage()));
                }
            }
        }
        return new CanonicalRecord(contract.entity(), contract.system(), String.valueOf(sourceId), canonical,
                hashed ? VersionHasher.hash(Map.of("deleted", true, "fields", canonical)) : null, null, true);
    }

    public EntityDefinition entity(String entity) {
        return entities.get(entity);
    }

    /** The entity's fields that name another record ({@code ref}), by name; empty for none. */
    public Map<String, CanonicalField> references(String entity) {
        return references.getOrDefault(entity, Map.of());
    }

    /** The entity's lists of child records whose items name another record ({@code ref}), by name; empty for none. */
    public Map<String, CanonicalField> linesWithReferences(String entity) {
        return lines.getOrDefault(entity, Map.of());
    }

    /** Sized for every field of the contract: growing the table twice per record was a twentieth of the time. */
    private static int capacity(FieldContract contract) {
        return contract.fields().size() * 4 / 3 + 1;
    }

    static boolean isMissing(Object value) {
        return value == null || value instanceof String text && text.isBlank();
    }

    /** Whether the entity's field is sensitive: a message about its value names no value. */
    private boolean sensitive(String entity, String field) {
        CanonicalField declared = entity(entity).fields().get(field);
        return declared != null && declared.isSensitive();
    }
}
