package io.syncline.rules;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A compiled rule of an entity: its name, its condition as written and parsed, what it does, and
 * the targets it applies to (all when empty).
 */
public record Rule(String entity, String name, String when, RuleCondition condition, Action action, List<String> targets) {

    public enum Action {

        HOLD, REJECT, ALERT;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Whether the rule applies to changes written to {@code target}. */
    public boolean appliesTo(String target) {
        return targets.isEmpty() || targets.contains(target);
    }

    /** The canonical fields the condition reads, by name. */
    public Set<String> fields() {
        Set<String> fields = new TreeSet<>();
        condition.fields(fields);
        return fields;
    }

    /** {@code rule bigAmount (amount > 10000)}. */
    public String describe() {
        return "rule " + name + " (" + when + ")";
    }
}
