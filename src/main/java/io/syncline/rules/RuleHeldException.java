package io.syncline.rules;

import io.syncline.mapping.CanonicalRecord;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A change one or more rules {@code hold} hold for a person's approval: it goes to the review queue
 * (kind {@code held_by_rule}) naming them, and is applied through its apply route once approved
 * against all of them.
 */
public class RuleHeldException extends RuntimeException {

    private final transient CanonicalRecord record;
    private final transient List<Rule> rules;
    private final String targetSystem;
    private final transient Map<String, Object> values;

    /**
     * @param rules  the rules met, in declared order
     * @param values the fields their conditions read, each with its previous and new value
     */
    public RuleHeldException(CanonicalRecord record, List<Rule> rules, String targetSystem, Map<String, Object> values) {
        super(record.entity() + " " + record.sourceId() + " from " + record.sourceSystem() + " to " + targetSystem
                + " held for approval by " + describe(rules));
        this.record = record;
        this.rules = List.copyOf(rules);
        this.targetSystem = targetSystem;
        this.values = values;
    }

    public CanonicalRecord record() {
        return record;
    }

    /** The rules met, in declared order. */
    public List<Rule> rules() {
        return rules;
    }

    /** {@code rule bigAmount (amount > 10000), rule stockDrop (…)}. */
    public static String describe(List<Rule> rules) {
        return rules.stream().map(Rule::describe).collect(Collectors.joining(", "));
    }

    public String targetSystem() {
        return targetSystem;
    }

    public Map<String, Object> values() {
        return values;
    }
}
