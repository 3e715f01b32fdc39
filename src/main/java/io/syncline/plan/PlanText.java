package io.syncline.plan;

import java.util.Map;
import java.util.stream.Collectors;

/** A plan as {@code bin/syncline plan} prints it: per entity and target the counts, then each line, then the verdict. */
final class PlanText {

    private PlanText() {
    }

    static String of(Plan plan) {
        StringBuilder text = new StringBuilder();
        text.append("Plan ").append(plan.id()).append(" of the ").append(plan.model()).append(" model, ")
                .append(String.format(java.util.Locale.ROOT, "%.1f", plan.seconds())).append(" s, nothing written\n");
        for (Plan.EntityPlan entity : plan.entities()) {
            text.append(entity.entity()).append(" from ").append(entity.source()).append(": ").append(entity.recordsRead())
                    .append(" records read").append(entity.limit() >= 0 ? " (at most " + entity.limit() + ")" : "").append('\n');
            entity.outcomes().forEach((target, counts) -> text.append("  ").append(target).append(": ").append(counts(counts))
                    .append('\n'));
        }
        for (PlanLine line : plan.lines()) {
            text.append(line.entity()).append(' ').append(line.sourceKey()).append(" -> ").append(line.target()).append(": ")
                    .append(line.outcome());
            if (line.targetId() != null) {
                text.append(" ").append(line.targetId());
            }
            if (line.matchRule() != null) {
                text.append(" (matched by ").append(line.matchRule()).append(')');
            }
            if (line.reason() != null) {
                text.append(": ").append(line.reason());
            }
            text.append('\n');
            if (line.changes() != null) {
                line.changes().forEach((field, change) -> text.append("    ").append(field).append(": ")
                        .append(value(change.get("from"))).append(" -> ").append(value(change.get("to"))).append('\n'));
            }
            if (line.conflicts() != null) {
                line.conflicts().forEach(conflict -> text.append("    conflict on ").append(conflict.field()).append(": ")
                        .append(conflict.strategy()).append(" keeps ").append(conflict.decision()).append(" (source ")
                        .append(value(conflict.sourceValue())).append(", target ").append(value(conflict.targetValue()))
                        .append(")\n"));
            }
        }
        plan.notes().forEach(note -> text.append("note: ").append(note).append('\n'));
        long changed = plan.summary().values().stream().mapToLong(counts -> counts.getOrDefault("create", 0L)
                + counts.getOrDefault("update", 0L) + counts.getOrDefault("delete", 0L)).sum();
        text.append(plan.changes() ? "CHANGES: " + changed + " writes in " + plan.summary().entrySet().stream()
                .filter(target -> target.getValue().getOrDefault("create", 0L) + target.getValue().getOrDefault("update", 0L)
                        + target.getValue().getOrDefault("delete", 0L) > 0)
                .map(Map.Entry::getKey).collect(Collectors.joining(", "))
                : "NO CHANGES").append(plan.complete() ? "" : " (incomplete: " + plan.stoppedBy() + ")").append('\n');
        return text.toString();
    }

    private static String counts(Map<String, Long> counts) {
        return counts.isEmpty() ? "nothing" : counts.entrySet().stream().map(count -> count.getValue() + " " + count.getKey())
                .collect(Collectors.joining(", "));
    }

    private static String value(Object value) {
        return value == null ? "(empty)" : value instanceof String text ? "\"" + text + "\"" : String.valueOf(value);
    }
}
