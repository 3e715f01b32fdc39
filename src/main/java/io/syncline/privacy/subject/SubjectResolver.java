package io.syncline.privacy.subject;

import io.agroal.api.AgroalDataSource;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.SystemTypes;
import io.syncline.connector.spi.SystemType;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.CompiledField;
import io.syncline.mapping.FieldContract;
import io.syncline.mapping.RecordTransformer;
import io.syncline.matching.IdMapRepository;
import io.syncline.matching.MatchCandidate;
import io.syncline.model.Ability;
import io.syncline.model.EntityDefinition;
import io.syncline.model.SyncModel;
import io.syncline.model.SystemDefinition;
import io.syncline.state.RecordState;
import io.syncline.state.RecordStateRepository;
import io.syncline.tombstone.SubjectDigests;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds every record of one person: from the id or match-key value a request names, through the
 * cross-system ID map (all links of their canonical ids), the records themselves (each system's
 * current record, read through its connector, and Syncline's record state) and the match keys
 * these carry, searched in each JDBC system (a REST system is found through the ID map only:
 * APIs have no common search). Repeats until nothing new turns up, at most {@value #ROUNDS} times.
 */
@ApplicationScoped
public class SubjectResolver {

    private static final Logger LOG = Logger.getLogger(SubjectResolver.class);
    private static final int ROUNDS = 3;
    /** The source a search probe names: a privacy request, not a system. */
    private static final String SEARCH_SOURCE = "privacy-request";

    @Inject
    SyncModelRegistry registry;
    @Inject
    IdMapRepository idMap;
    @Inject
    RecordStateRepository states;
    @Inject
    SystemTypes types;
    @Inject
    SubjectDigests digests;
    @Inject
    AgroalDataSource store;

    /**
     * The person the subject names.
     *
     * @throws IllegalArgumentException the model has no such entity, system or match key
     */
    public Footprint resolve(Subject subject) throws Exception {
        EntityDefinition entity = entity(subject.entity());
        Map<String, Set<String>> ids = new TreeMap<>();
        Map<String, Set<String>> values = new TreeMap<>();
        if (subject.system() != null) {
            if (!entity.mappings().containsKey(subject.system())) {
                throw new IllegalArgumentException("entity " + subject.entity() + " has no mapping for system '" + subject.system()
                        + "'; its systems: " + String.join(", ", new TreeSet<>(entity.mappings().keySet())));
            }
            ids.computeIfAbsent(subject.system(), system -> new TreeSet<>()).add(subject.id().trim());
        } else {
            List<String> keys = SubjectDigests.keyFields(entity);
            if (!keys.contains(subject.field())) {
                throw new IllegalArgumentException("'" + subject.field() + "' is not a match key of " + subject.entity()
                        + " (its email, phone or externalId rules compare: " + String.join(", ", keys) + ")");
            }
            values.computeIfAbsent(subject.field(), field -> new TreeSet<>()).add(SubjectDigests.normalise(subject.value()));
        }
        return expand(subject.entity(), entity, ids, values);
    }

    /**
     * The person whose records a request's parts name (the parts that still hold an id); with
     * {@code read}, each system's current record is read too (an export), else only Syncline's
     * own tables are (a scrub, which must not depend on the systems answering).
     */
    public Footprint ofRecords(String entityName, Map<String, Set<String>> ids, boolean read) throws Exception {
        Map<String, Set<String>> copy = new TreeMap<>();
        ids.forEach((system, systemIds) -> copy.put(system, new TreeSet<>(systemIds)));
        return expand(entityName, entity(entityName), copy, new TreeMap<>(), read);
    }

    private Footprint expand(String entityName, EntityDefinition entity, Map<String, Set<String>> ids,
            Map<String, Set<String>> values) throws Exception {
        return expand(entityName, entity, ids, values, true);
    }

    private Footprint expand(String entityName, EntityDefinition entity, Map<String, Set<String>> ids,
            Map<String, Set<String>> values, boolean read) throws Exception {
        SyncModel model = registry.current().model();
        RecordTransformer transformer = registry.current().transformer();
        Set<String> canonicalIds = new TreeSet<>();
        Map<String, Map<String, Object>> records = new LinkedHashMap<>();
        Map<String, String> unreadable = new TreeMap<>();
        Set<String> searched = new java.util.HashSet<>();
        for (int round = 0; round < ROUNDS; round++) {
            int before = size(ids) + size(values) + canonicalIds.size();
            search(entityName, entity, values, ids, searched);
            for (var entry : ids.entrySet()) {
                for (String id : entry.getValue()) {
                    idMap.canonicalId(entityName, entry.getKey(), id).ifPresent(canonicalIds::add);
                }
            }
            for (String canonicalId : canonicalIds) {
                idMap.systemIds(entityName, canonicalId).forEach((system, id) -> ids.computeIfAbsent(system, key -> new TreeSet<>()).add(id));
            }
            keyValuesOfStates(entityName, entity, canonicalIds, values);
            if (read) {
                readRecords(entityName, entity, model, transformer, ids, records, unreadable, values);
            }
            if (size(ids) + size(values) + canonicalIds.size() == before) {
                break;
            }
        }
        Set<String> all = new LinkedHashSet<>();
        ids.forEach((system, systemIds) -> systemIds.forEach(id -> all.add(digests.ofId(entityName, system, id))));
        Set<String> keyValues = new TreeSet<>();
        values.forEach((field, fieldValues) -> fieldValues.forEach(value -> {
            all.add(digests.ofValue(entityName, field, value));
            keyValues.add(value);
        }));
        return new Footprint(entityName, canonicalIds, ids, keyValues, all, records, unreadable);
    }

    /**
     * Each match-key value not searched yet, in each system whose type can search and whose
     * mapping holds that field: the records the search finds with that very value.
     */
    private void search(String entityName, EntityDefinition entity, Map<String, Set<String>> values,
            Map<String, Set<String>> ids, Set<String> searched) throws Exception {
        for (String system : entity.mappings().keySet()) {
            SystemType type = types.of(system);
            if (!type.abilities().contains(Ability.SEARCH)) {
                continue;
            }
            FieldContract contract = registry.current().transformer().contract(entityName, system);
            for (var field : values.entrySet()) {
                if (column(contract, field.getKey()) == null) {
                    continue;
                }
                for (String value : List.copyOf(field.getValue())) {
                    if (searched.add(system + "/" + field.getKey() + "/" + value)) {
                        CanonicalRecord probe = new CanonicalRecord(entityName, SEARCH_SOURCE, null, Map.of(field.getKey(), value),
                                null, null);
                        for (MatchCandidate candidate : type.search(system, probe)) {
                            Object found = candidate.fields().get(field.getKey());
                            if (found != null && SubjectDigests.normalise(found).equals(SubjectDigests.normalise(value))) {
                                ids.computeIfAbsent(system, key -> new TreeSet<>()).add(candidate.systemId());
                            }
                        }
                    }
                }
            }
        }
    }

    private void keyValuesOfStates(String entityName, EntityDefinition entity, Collection<String> canonicalIds,
            Map<String, Set<String>> values) throws Exception {
        if (canonicalIds.isEmpty()) {
            return;
        }
        try (Connection connection = store.getConnection()) {
            for (String canonicalId : canonicalIds) {
                for (RecordState state : states.findAll(connection, entityName, canonicalId)) {
                    addKeyValues(entity, state.fieldValues(), values);
                }
            }
        }
    }

    /** Reads each record not read yet through its system's connector (a Salesforce record is not read). */
    private void readRecords(String entityName, EntityDefinition entity, SyncModel model, RecordTransformer transformer,
            Map<String, Set<String>> ids, Map<String, Map<String, Object>> records,
            Map<String, String> unreadable, Map<String, Set<String>> values) {
        for (var entry : ids.entrySet()) {
            String system = entry.getKey();
            SystemDefinition definition = model.systems().get(system);
            if (!entity.mappings().containsKey(system)) {
                unreadable.put(system, "the model no longer maps " + entityName + " in " + system);
                continue;
            }
            for (String id : entry.getValue()) {
                String key = Footprint.recordKey(system, id);
                if (records.containsKey(key) || unreadable.containsKey(key)) {
                    continue;
                }
                try {
                    SystemType type = types.typeOf(system, definition);
                    if (!type.abilities().contains(Ability.FETCH)) {
                        unreadable.put(key, system + " is not read by Syncline (type " + type.name() + " cannot fetch a record)");
                        continue;
                    }
                    var record = type.fetch(entityName, system, id);
                    if (record.isEmpty()) {
                        records.put(key, null);
                        continue;
                    }
                    records.put(key, record.get());
                    addKeyValues(entity, SubjectDigests.canonicalOrRaw(transformer, entityName, system, record.get()), values);
                } catch (Exception e) {
                    LOG.debugf("Reading %s %s from %s failed: %s", entityName, id, system, e.getMessage());
                    unreadable.put(key, e.getMessage());
                }
            }
        }
    }

    private static void addKeyValues(EntityDefinition entity, Map<String, Object> canonical, Map<String, Set<String>> values) {
        for (String field : SubjectDigests.keyFields(entity)) {
            Object value = canonical.get(field);
            if (value != null && !SubjectDigests.normalise(value).isEmpty()) {
                values.computeIfAbsent(field, key -> new TreeSet<>()).add(SubjectDigests.normalise(value));
            }
        }
    }

    private static String column(FieldContract contract, String field) {
        return contract.fields().stream().filter(compiled -> compiled.field().equals(field) && compiled.path() != null
                && compiled.path().matches("[A-Za-z_][A-Za-z0-9_]*")).map(CompiledField::path).findFirst().orElse(null);
    }

    private EntityDefinition entity(String name) {
        EntityDefinition entity = registry.current().model().entities().get(name);
        if (entity == null) {
            throw new IllegalArgumentException("unknown entity '" + name + "'; the model's entities: "
                    + String.join(", ", new TreeSet<>(registry.current().model().entities().keySet())));
        }
        return entity;
    }

    private static int size(Map<String, Set<String>> map) {
        return map.values().stream().mapToInt(Set::size).sum();
    }
}
