package io.syncline.matching;

import io.syncline.mapping.CanonicalRecord;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Tries an entity's match rules in order. The first rule that finds exactly one candidate
 * decides; a rule that finds several makes the match ambiguous and stops: an ambiguous match
 * is never merged automatically.
 */
public final class RecordMatcher {

    private final List<MatchRule> rules;

    public RecordMatcher(List<MatchRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public MatchResult match(CanonicalRecord record, String targetSystem, Collection<MatchCandidate> candidates) {
        return match(record, targetSystem, () -> candidates);
    }

    /**
     * As {@link #match(CanonicalRecord, String, Collection)}, loading the candidates only when a
     * rule needs them, and once: a record the ID map already knows costs no search of the target.
     */
    public MatchResult match(CanonicalRecord record, String targetSystem, Supplier<Collection<MatchCandidate>> candidates) {
        Supplier<Collection<MatchCandidate>> once = new Supplier<>() {

            private Collection<MatchCandidate> loaded;

            @Override
            public Collection<MatchCandidate> get() {
                if (loaded == null) {
                    loaded = candidates.get();
                }
                return loaded;
            }
        };
        for (MatchRule rule : rules) {
            List<MatchRule.Scored> found = rule.find(record, targetSystem, once);
            if (found.size() == 1) {
                return MatchResult.matched(rule.name(), found.get(0).confidence(), found.get(0).candidate());
            }
            if (found.size() > 1) {
                return MatchResult.ambiguous(rule.name(), found.get(0).confidence(),
                        found.stream().map(MatchRule.Scored::candidate).toList());
            }
        }
        return MatchResult.none();
    }

    /**
     * Whether any rule but the ID map's finds one of {@code candidates} for the record: whether
     * the record, searched for in a target holding these rows, could match one of them.
     */
    public boolean findsAny(CanonicalRecord record, String targetSystem, Collection<MatchCandidate> candidates) {
        for (MatchRule rule : rules) {
            if (!(rule instanceof IdMapRule) && !rule.find(record, targetSystem, () -> candidates).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The rules, in the order they are tried. */
    public List<MatchRule> rules() {
        return rules;
    }

    /** Whether one of its rules is named {@code name}: asked for every event, so without building a list. */
    public boolean uses(String name) {
        for (MatchRule rule : rules) {
            if (rule.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    public List<String> ruleNames() {
        return rules.stream().map(MatchRule::name).toList();
    }
}
