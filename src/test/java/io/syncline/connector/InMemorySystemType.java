package io.syncline.connector;

import io.syncline.compiled.SyncModelRegistry;
import io.syncline.connector.spi.Erasure;
import io.syncline.connector.spi.PullException;
import io.syncline.connector.spi.PullResult;
import io.syncline.connector.spi.RecordPuller;
import io.syncline.connector.spi.SystemType;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.mapping.FieldContract;
import io.syncline.matching.MatchCandidate;
import io.syncline.model.Ability;
import io.syncline.model.EraseSpec;
import io.syncline.model.SystemTypeRules;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * System type {@code memory}, made for {@link PluggedSystemTypeTest} by implementing the connector
 * contract alone: records held in memory, per system, by their id at the mapping's key path. It
 * searches by e-mail, as a provider's search API would, and reads pages in id order. Its settings
 * ({@link MemorySettings}) and their rules ({@link MemoryRules}) are its own, as any type's.
 */
@ApplicationScoped
public class InMemorySystemType implements SystemType {

    static final String NAME = "memory";

    private final SyncModelRegistry registry;
    private final Map<String, Map<String, Map<String, Object>>> systems = new ConcurrentHashMap<>();

    public InMemorySystemType(SyncModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Ability> abilities() {
        return EnumSet.of(Ability.READ_PAGES, Ability.FETCH, Ability.READ_BACK, Ability.SEARCH, Ability.WRITE, Ability.ERASE);
    }

    @Override
    public SystemTypeRules rules() {
        return MemoryRules.RULES;
    }

    /** The records of {@code system}, by id (a test's view and seed). */
    Map<String, Map<String, Object>> records(String system) {
        return systems.computeIfAbsent(system, name -> new TreeMap<>());
    }

    @Override
    public RecordPuller puller() {
        return (request, sink) -> {
            List<Map<String, Object>> all = new ArrayList<>();
            synchronized (this) {
                records(request.systemName()).values().forEach(record -> all.add(new LinkedHashMap<>(record)));
            }
            long pages = 0;
            for (int from = 0; from < all.size(); from += request.pageSize()) {
                try {
                    sink.accept(all.subList(from, Math.min(all.size(), from + request.pageSize())));
                } catch (Exception e) {
                    throw new PullException("staging a page failed: " + e.getMessage(), e);
                }
                pages++;
            }
            return PullResult.complete(pages, all.size(), (long) all.size());
        };
    }

    @Override
    public synchronized Optional<Map<String, Object>> fetch(String entity, String system, String id) {
        return Optional.ofNullable(records(system).get(id)).map(LinkedHashMap::new);
    }

    @Override
    public synchronized List<MatchCandidate> search(String system, CanonicalRecord record) {
        Object email = record.fields().get("email");
        List<MatchCandidate> found = new ArrayList<>();
        if (email == null) {
            return found;
        }
        FieldContract contract = registry.current().transformer().contract(record.entity(), system);
        records(system).forEach((id, row) -> {
            Map<String, Object> canonical = registry.current().transformer().toCanonicalUnhashed(record.entity(), system, row).fields();
            if (email.toString().equalsIgnoreCase(Objects.toString(canonical.get("email"), null))) {
                found.add(new MatchCandidate(String.valueOf(row.get(contract.keyPath())), canonical));
            }
        });
        return found;
    }

    @Override
    public synchronized String create(String entity, String system, Map<String, Object> row) {
        // unique beyond this JVM: the ID map of a test database outlives it
        String id = MemorySettings.of(registry.current().model().systems().get(system)).idPrefixOrDefault() + UUID.randomUUID();
        Map<String, Object> record = new LinkedHashMap<>(row);
        record.put(keyPath(entity, system), id);
        records(system).put(id, record);
        return id;
    }

    @Override
    public synchronized void update(String entity, String system, String id, Map<String, Object> row) {
        Map<String, Object> record = records(system).get(id);
        if (record == null) {
            throw new IllegalStateException(system + " has no record " + id);
        }
        record.putAll(row);
    }

    @Override
    public synchronized boolean delete(String entity, String system, String id) {
        return records(system).remove(id) != null;
    }

    @Override
    public synchronized String erase(String entity, String system, String id, Erasure erasure) {
        if (erasure.mode() == EraseSpec.Mode.HARD) {
            return delete(entity, system, id) ? "hard delete" : "already gone";
        }
        Map<String, Object> record = records(system).get(id);
        if (record == null) {
            return "already gone";
        }
        erasure.emptied().values().forEach(path -> record.put(path, null));
        return "anonymised: " + erasure.emptied().size() + " fields";
    }

    private String keyPath(String entity, String system) {
        return registry.current().transformer().contract(entity, system).keyPath();
    }
}
