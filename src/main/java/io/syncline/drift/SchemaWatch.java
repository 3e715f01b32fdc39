package io.syncline.drift;

import io.syncline.mapping.CompiledField;
import io.syncline.mapping.FieldContract;
import io.syncline.mapping.FieldPaths;
import io.syncline.model.SystemMapping;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Schema drift acted on, at the transformer stage of a mapping with {@code schemaDrift: pause}
 * (docs/real-time.md#schema-drift). A field the mapping needs (a required one) that its source has
 * sent is remembered with its value's JSON type ({@link SchemaDriftStore}); a payload without it,
 * or with a value of another type, opens a drift and pauses the mapping: this event and every
 * later one of the mapping wait in the inbox ({@link MappingPausedException}) rather than being
 * rejected. A rename an admin accepted is applied first: the vanished path takes the new one's value.
 *
 * <p>The drifts in force are read from the store at most once a {@link #REFRESH}, so that each
 * event costs no query; a replica that has not seen a pause yet pauses on its own at the first
 * payload that lacks the field, and one that has not seen a resume yet parks an event that the
 * inbox then finds due at once (it parks only while a drift pauses the mapping). Which fields are
 * known is cached for a {@link #KNOWN_FOR}; an absent field is always looked up, since absence is
 * what opens a drift.
 */
@ApplicationScoped
public class SchemaWatch {

    /** How stale this replica's view of the paused mappings and accepted renames may be. */
    static final Duration REFRESH = Duration.ofSeconds(1);
    /** How long a field remembered as seen is not remembered again. */
    static final Duration KNOWN_FOR = Duration.ofMinutes(1);
    /** When a paused event is looked at again if nobody resumes its mapping: a safety net only. */
    static final Duration RECHECK = Duration.ofHours(1);

    private final SchemaDriftStore store;
    private final Clock clock;
    private final Map<String, Instant> known = new ConcurrentHashMap<>();
    private volatile InForce inForce = new InForce(Instant.MIN, Map.of(), Map.of());

    @Inject
    public SchemaWatch(SchemaDriftStore store) {
        this(store, Clock.systemUTC());
    }

    SchemaWatch(SchemaDriftStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The paused mappings (entity and system) with what paused each, and the accepted renames of each mapping. */
    private record InForce(Instant readAt, Map<String, String> paused, Map<String, List<FieldDrift>> renames) {
    }

    /**
     * The payload as the mapping reads it: with the accepted renames applied (a copy; the payload
     * itself is left as received). Throws {@link MappingPausedException} while the mapping is
     * paused, or when this payload pauses it.
     */
    public Map<String, Object> admit(FieldContract contract, SystemMapping mapping, Map<String, Object> source)
            throws SQLException {
        if (mapping == null || !mapping.pausesOnSchemaDrift()) {
            return source;
        }
        String key = contract.entity() + ' ' + contract.system();
        InForce now = inForce();
        String paused = now.paused().get(key);
        if (paused != null) {
            throw paused(contract, paused);
        }
        Map<String, Object> payload = renamed(source, now.renames().getOrDefault(key, List.of()));
        for (CompiledField field : contract.fields()) {
            if (field.required() != null && field.direction().reads() && !field.computed() && field.steps() != null) {
                check(contract, field, payload);
            }
        }
        return payload;
    }

    /** Forgets this replica's view of the drifts in force and of the fields known: an admin decided here. */
    public void refresh() {
        inForce = new InForce(Instant.MIN, Map.of(), Map.of());
        known.clear();
    }

    private void check(FieldContract contract, CompiledField field, Map<String, Object> payload) throws SQLException {
        Instant now = clock.instant();
        if (FieldPaths.has(payload, field.steps())) {
            String type = typeOf(FieldPaths.get(payload, field.steps()));
            if (type == null) {
                return; // a null says nothing of the field's type
            }
            String id = contract.entity() + ' ' + contract.system() + ' ' + field.field() + ' ' + type;
            Instant remembered = known.get(id);
            if (remembered != null && remembered.isAfter(now.minus(KNOWN_FOR))) {
                return;
            }
            Optional<String> was = store.knownType(contract.entity(), contract.system(), field.field());
            if (was.isEmpty()) {
                store.remember(contract.entity(), contract.system(), field.field(), type, now);
            } else if (!was.get().equals(type)) {
                drift(contract, field, FieldDrift.TYPE, was.get(), type, now);
            }
            known.put(id, now);
        } else {
            Optional<String> was = store.knownType(contract.entity(), contract.system(), field.field());
            if (was.isPresent()) {
                drift(contract, field, FieldDrift.MISSING, was.get(), null, now);
            }
        }
    }

    private void drift(FieldContract contract, CompiledField field, String change, String was, String type, Instant now)
            throws SQLException {
        store.open(contract.entity(), contract.system(), field.field(), field.path(), change, was, type, now);
        inForce = new InForce(Instant.MIN, Map.of(), Map.of());
        throw paused(contract, new FieldDrift(0, contract.entity(), contract.system(), field.field(), field.path(), change, was,
                type, FieldDrift.PAUSED, now, null, null, null).describe());
    }

    private MappingPausedException paused(FieldContract contract, String drift) {
        return new MappingPausedException(contract.entity(), contract.system(), drift, clock.instant().plus(RECHECK));
    }

    private InForce inForce() throws SQLException {
        InForce current = inForce;
        Instant now = clock.instant();
        if (current.readAt().isAfter(now.minus(REFRESH))) {
            return current;
        }
        Map<String, String> paused = new HashMap<>();
        Map<String, List<FieldDrift>> renames = new HashMap<>();
        for (FieldDrift drift : store.inForce()) {
            String key = drift.entity() + ' ' + drift.system();
            if (drift.paused()) {
                paused.putIfAbsent(key, drift.describe());
            } else if (drift.renamedTo() != null) {
                renames.computeIfAbsent(key, k -> new ArrayList<>()).add(drift);
            }
        }
        current = new InForce(now, paused, renames);
        inForce = current;
        return current;
    }

    /** {@code source} with each vanished path given its new path's value, where the payload has the new path and not the old. */
    static Map<String, Object> renamed(Map<String, Object> source, List<FieldDrift> renames) {
        Map<String, Object> payload = source;
        for (FieldDrift rename : renames) {
            if (!FieldPaths.has(payload, rename.path()) && FieldPaths.has(payload, rename.renamedTo())) {
                if (payload == source) {
                    payload = new LinkedHashMap<>(source);
                }
                FieldPaths.set(payload, rename.path(), FieldPaths.get(payload, rename.renamedTo()));
            }
        }
        return payload;
    }

    /** A JSON value's type as the drift names it; null for a null. */
    static String typeOf(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Number) {
            return "number";
        }
        if (value instanceof Boolean) {
            return "boolean";
        }
        if (value instanceof Map<?, ?>) {
            return "object";
        }
        return value instanceof List<?> ? "array" : value.getClass().getSimpleName();
    }
}
