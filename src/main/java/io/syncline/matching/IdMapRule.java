package io.syncline.matching;

import io.syncline.mapping.CanonicalRecord;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The cross-system ID map: when the record's canonical id already has an id in the target
 * system, that is the match, with full confidence. Tried first, before any search; it searches
 * no table itself.
 */
public final class IdMapRule implements MatchRule {

    /** Looks up the id a canonical record has in a system. */
    @FunctionalInterface
    public interface Lookup {

        Optional<String> systemId(String entity, String canonicalId, String system);
    }

    /** The rule's name, as matches found by it carry it. */
    public static final String NAME = "idMap";

    private final Lookup lookup;

    public IdMapRule(Lookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Scored> find(CanonicalRecord record, String targetSystem, Supplier<Collection<MatchCandidate>> candidates) {
        if (record.canonicalId() == null) {
            return List.of();
        }
        // The ID map names the record; no search of the target is needed.
        return lookup.systemId(record.entity(), record.canonicalId(), targetSystem)
                .map(id -> List.of(new Scored(new MatchCandidate(id, Map.of()), 1.0)))
                .orElse(List.of());
    }
}
