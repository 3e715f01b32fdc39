package io.syncline.connector.spi;

import io.syncline.exchange.ExchangeContract;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.matching.AmbiguousMatchException;
import io.syncline.matching.IdMapRepository;
import io.syncline.matching.IdMapRule;
import io.syncline.matching.MatchCandidate;
import io.syncline.matching.MatchChoice;
import io.syncline.matching.MatchResult;
import io.syncline.matching.RecordMatcher;
import io.syncline.sync.SyncUnit;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.camel.Exchange;

import java.util.List;
import java.util.Map;

/**
 * The match stage's decisions, whatever the target's type: the ID map first (also where the
 * entity's rules leave it out), then the entity's match rules over the candidates the type's
 * search finds; an ambiguous match, or one that finds
 * a record the ID map gives to another canonical record, is held for review. A person's answer
 * to an ambiguous match ({@link MatchChoice}) is checked against the ID map and the record as
 * they are now. The type says how it searches and reads ({@link Lookup}).
 */
@ApplicationScoped
public class TargetMatching {

    /** How the stage reaches the target's records for one event. */
    public interface Lookup {

        /** The candidates for the unit's record by the entity's match rules; empty where the type cannot search. */
        List<MatchCandidate> search(SyncUnit unit) throws Exception;

        /** Whether {@link #current} reads the target's values (else the stage compares with what Syncline last wrote). */
        boolean readsBack();

        /** The target record's values in canonical form; null when it is gone (or not read back). */
        Map<String, Object> current(SyncUnit unit, String id) throws Exception;

        /** The records {@code ids} read whole, for a review item; the search's narrow reads where absent. */
        default Map<String, MatchCandidate> whole(SyncUnit unit, List<String> ids) throws Exception {
            return Map.of();
        }
    }

    private final IdMapRepository idMap;

    public TargetMatching(IdMapRepository idMap) {
        this.idMap = idMap;
    }

    /**
     * Matches the exchange's one event.
     *
     * @throws AmbiguousMatchException several target records fit, or the one that fits belongs to
     *                                 another canonical record: held for review, nothing written
     */
    public void match(Exchange exchange, RecordMatcher matcher, Lookup lookup) throws Exception {
        SyncUnit unit = SyncUnit.of(exchange);
        CanonicalRecord record = unit.record();
        if (record.deleted()) {
            String id = idMap.systemId(record.entity(), record.canonicalId(), unit.target()).orElse(null);
            unit.matched(id, id == null ? null : current(lookup, unit, id), null);
            return;
        }
        MatchChoice choice = exchange.getProperty(ExchangeContract.MATCH_CHOICE, MatchChoice.class);
        if (choice != null && choice.targetSystem().equals(unit.target())) {
            chosen(choice, lookup, unit);
            return;
        }
        if (!matcher.uses(IdMapRule.NAME)) {
            // the ID map is asked first even where the entity's rules leave it out: a record
            // Syncline linked is that record, whatever its values say now
            String linked = idMap.systemId(record.entity(), record.canonicalId(), unit.target()).orElse(null);
            if (linked != null) {
                unit.matched(linked, current(lookup, unit, linked), IdMapRule.NAME);
                unit.linkedAlready();
                return;
            }
        }
        MatchResult match = matcher.match(record, unit.target(), () -> {
            try {
                return lookup.search(unit);
            } catch (RuntimeException e) {
                // kept as thrown: a refused search is permanent and a Retry-After must pause the system
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("Searching " + unit.target() + " for " + record.entity() + " failed: "
                        + e.getMessage(), e);
            }
        });
        if (match.outcome() == MatchResult.Outcome.AMBIGUOUS) {
            throw new AmbiguousMatchException(record, unit.target(), whole(lookup, unit, match),
                    match.candidates().size() + " " + unit.target() + " records fit by " + match.rule());
        }
        if (match.outcome() == MatchResult.Outcome.MATCHED) {
            // The ID map's own answer belongs to this record and is linked; any other match is checked.
            boolean byIdMap = IdMapRule.NAME.equals(match.rule());
            String id = byIdMap ? match.match().systemId() : claim(lookup, unit, match);
            unit.matched(id, current(lookup, unit, id), match.rule() + " (" + match.confidence() + ")");
            if (byIdMap) {
                unit.linkedAlready();
            }
        } else {
            unit.matched(null, null, null);
        }
    }

    /**
     * A person's answer to an ambiguous match: the record they chose (or none: a new record),
     * unless the ID map or the record changed since; the write links it in the ID map.
     */
    private void chosen(MatchChoice choice, Lookup lookup, SyncUnit unit) throws Exception {
        CanonicalRecord record = unit.record();
        String linked = idMap.systemId(record.entity(), record.canonicalId(), unit.target()).orElse(null);
        if (linked != null && !linked.equals(choice.systemId())) {
            throw changedSince(record, unit.target(), "the ID map links it to " + unit.target() + " record " + linked + " now");
        }
        String by = "review item " + choice.itemId();
        if (choice.createNew()) {
            unit.matched(null, null, by + " (a new record)");
            return;
        }
        String owner = idMap.canonicalId(record.entity(), unit.target(), choice.systemId()).orElse(null);
        if (owner != null && !owner.equals(record.canonicalId())) {
            throw changedSince(record, unit.target(), unit.target() + " record " + choice.systemId()
                    + " belongs to another " + record.entity() + " now");
        }
        Map<String, Object> current = current(lookup, unit, choice.systemId());
        if (current == null && lookup.readsBack()) {
            throw changedSince(record, unit.target(), unit.target() + " record " + choice.systemId() + " is gone");
        }
        unit.matched(choice.systemId(), current, by);
        if (linked != null) {
            unit.linkedAlready();
        }
    }

    private static AmbiguousMatchException changedSince(CanonicalRecord record, String target, String reason) {
        return new AmbiguousMatchException(record, target, MatchResult.none(), "the chosen match no longer holds: " + reason);
    }

    /** The target record's values in canonical form, its references as canonical ids ({@link SyncUnit#fromTarget}). */
    private static Map<String, Object> current(Lookup lookup, SyncUnit unit, String id) throws Exception {
        return unit.fromTarget(lookup.current(unit, id));
    }

    /** The matched record's id, unless the ID map already gives that record to another canonical record. */
    private String claim(Lookup lookup, SyncUnit unit, MatchResult match) throws Exception {
        CanonicalRecord record = unit.record();
        String targetId = match.match().systemId();
        String owner = idMap.canonicalId(record.entity(), unit.target(), targetId).orElse(null);
        if (owner != null && !owner.equals(record.canonicalId())) {
            throw new AmbiguousMatchException(record, unit.target(), whole(lookup, unit, match), unit.target()
                    + " record " + targetId + " matched by " + match.rule() + " already belongs to another " + record.entity());
        }
        return targetId;
    }

    /** The match with its candidates read whole, for the review queue: a search may read only the compared fields. */
    private static MatchResult whole(Lookup lookup, SyncUnit unit, MatchResult match) throws Exception {
        List<String> ids = match.candidates().stream().map(MatchCandidate::systemId).toList();
        Map<String, MatchCandidate> rows = lookup.whole(unit, ids);
        return new MatchResult(match.outcome(), match.rule(), match.confidence(), match.candidates().stream()
                .map(candidate -> rows.getOrDefault(candidate.systemId(), candidate)).toList());
    }
}
