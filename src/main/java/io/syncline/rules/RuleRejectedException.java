package io.syncline.rules;

import io.syncline.failure.PermanentFailure;
import io.syncline.mapping.CanonicalRecord;

/**
 * A change a rule {@code reject} refuses: a dead letter at once (no retry mends it), its reason
 * naming the rule; replayed, it meets the rule again unless the model or the record changed.
 */
public class RuleRejectedException extends RuntimeException implements PermanentFailure {

    private final String rule;

    public RuleRejectedException(CanonicalRecord record, Rule rule, String targetSystem) {
        super(record.entity() + " " + record.sourceId() + " from " + record.sourceSystem() + " to " + targetSystem
                + " rejected by " + rule.describe());
        this.rule = rule.name();
    }

    public String rule() {
        return rule;
    }
}
