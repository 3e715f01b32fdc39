package io.syncline.model;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a bound of a source's silence needs ({@code entities.<entity>.silentAfter.<system>}): a
 * system that sends the entity by webhook or is polled for it (a capture's stream tells its own
 * failures in readiness), and a duration above zero.
 */
final class SilenceRules {

    private SilenceRules() {
    }

    static void check(String path, EntityDefinition entity, ProblemReporter problems) {
        Set<String> sources = new TreeSet<>(entity.webhooks().keySet());
        sources.addAll(entity.polls().keySet());
        entity.silentAfter().forEach((system, bound) -> {
            String at = path + ".silentAfter." + system;
            String fix = "write how long " + system + " may send nothing, e.g. silentAfter: {" + system + ": 6h}";
            if (!sources.contains(system)) {
                problems.report(at, system + " neither sends this entity by webhook nor is polled for it",
                        sources.isEmpty() ? "declare the entity's webhooks or polls first" : Suggestions.oneOf(system, sources));
                return;
            }
            Duration parsed;
            try {
                parsed = Durations.parse(bound);
            } catch (IllegalArgumentException e) {
                problems.report(at, e.getMessage(), fix);
                return;
            }
            if (parsed.isZero() || parsed.isNegative()) {
                problems.report(at, "a silence of " + bound + " is always there", fix);
            }
        });
    }
}
