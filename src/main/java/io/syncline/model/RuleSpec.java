package io.syncline.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * A rule of an entity ({@code rules:} under it): a condition over the canonical record and its
 * change, and what becomes of a change that meets it. The condition's grammar and its checks are
 * the engine's ({@code io.syncline.rules.RuleCompiler}).
 *
 * @param name    how the review queue, the dead letters, the audit and the metrics name it
 * @param when    the condition: {@code amount > 10000}, {@code quantity decreases by more than 50%}
 * @param action  {@code hold} (for a person's approval), {@code reject} (a dead letter) or
 *                {@code alert} (told through the alerting channels; the change applies)
 * @param targets the target systems it applies to; empty: every target
 */
@RegisterForReflection
public record RuleSpec(String name, String when, String action, List<String> targets) {

    public RuleSpec {
        targets = targets == null ? List.of() : targets;
    }
}
