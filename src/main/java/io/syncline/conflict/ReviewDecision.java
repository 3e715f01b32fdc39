package io.syncline.conflict;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a person decided for one conflicting field: keep the incoming (source) value, keep the
 * target's current value, or write a value of their own (canonical form).
 */
@RegisterForReflection
public record ReviewDecision(Take take, Object value) {

    public enum Take {
        SOURCE, TARGET, CUSTOM
    }

    public static ReviewDecision source() {
        return new ReviewDecision(Take.SOURCE, null);
    }

    public static ReviewDecision target() {
        return new ReviewDecision(Take.TARGET, null);
    }

    public static ReviewDecision custom(Object value) {
        return new ReviewDecision(Take.CUSTOM, value);
    }
}
