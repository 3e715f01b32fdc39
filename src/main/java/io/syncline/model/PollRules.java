package io.syncline.model;

/**
 * What a poll of a system without webhooks needs ({@code entities.<entity>.polls.<system>}): a
 * mapping of the entity there that holds its {@code modifiedAt}, no webhook of the same system, a
 * valid schedule and page size, for a REST system the description of how its API filters by
 * modification time ({@code changes}), which only a REST system takes, and for deletions found by
 * a key diff ({@code deletes}) their schedule, their limit and the flag that marks them, and a
 * start ({@code startAt}) that is one ({@link PollStartAt}).
 */
final class PollRules {

    private PollRules() {
    }

    static void check(String path, String system, PollSpec poll, EntityDefinition entity, SystemDefinition definition,
            SystemTypeRules rules, ProblemReporter problems) {
        SystemMapping mapping = entity.mappings().get(system);
        if (mapping == null) {
            problems.report(path, "no mapping of this entity for '" + system + "'", Suggestions.oneOf(system, entity.mappings().keySet()));
            return;
        }
        if (entity.webhooks().containsKey(system)) {
            problems.report(path, system + " sends this entity by webhook already", "poll it or take its webhook, not both");
        }
        if (entity.modifiedAt() == null || mapping.fields().stream().noneMatch(field -> entity.modifiedAt().equals(field.field())
                && field.path() != null && field.direction().reads())) {
            problems.report(path, "polling reads changes by the entity's modifiedAt, which " + system + " does not hold",
                    "set the entity's modifiedAt and map it in " + system + " (the column of its last change)");
        }
        if (poll == null || poll.schedule() == null || !org.quartz.CronExpression.isValidExpression(poll.schedule())) {
            problems.report(path + ".schedule", "'" + (poll == null ? null : poll.schedule()) + "' is not a Quartz cron expression",
                    "write when to poll, in UTC, e.g. schedule: \"0 * * * * ?\" (every minute)");
        }
        if (poll != null && poll.pageSize() != null && (poll.pageSize() < 1 || poll.pageSize() > 10_000)) {
            problems.report(path + ".pageSize", "page size " + poll.pageSize() + " is out of range", "use 1 to 10000");
        }
        if (poll != null && PollStartAt.parse(poll.startAt()).isEmpty()) {
            problems.report(path + ".startAt", "'" + poll.startAt() + "' is no start of a poll",
                    "write backfill (where the last completed backfill from " + system + " began reading), beginning"
                            + " (every record), now (changes after the first poll) or a time with its offset, e.g."
                            + " startAt: \"2024-03-01T00:00:00Z\"");
        }
        if (definition != null) {
            // what a poll of the type needs to ask for changes, if anything: the type's own rule
            rules.validatePoll(path, system, poll == null ? null : poll.changes(), mapping, definition, problems);
        }
        if (poll != null && poll.deletes() != null) {
            checkDeletes(path + ".deletes", system, poll.deletes(), mapping, problems);
        }
    }

    /** A key diff says how, when and how much, and marks its deletions with the mapping's delete flag. */
    private static void checkDeletes(String path, String system, PollDeletes deletes, SystemMapping mapping,
            ProblemReporter problems) {
        if (deletes.by() == null) {
            problems.report(path + ".by", "no way to find deletions is named", "say by: keyDiff");
        }
        if (deletes.schedule() == null || !org.quartz.CronExpression.isValidExpression(deletes.schedule())) {
            problems.report(path + ".schedule", "'" + deletes.schedule() + "' is not a Quartz cron expression",
                    "write when to compare the keys, in UTC, e.g. schedule: \"0 0 * * * ?\" (every hour)");
        }
        if (deletes.maxShare() != null && (deletes.maxShare() <= 0 || deletes.maxShare() > 1)) {
            problems.report(path + ".maxShare", "share " + deletes.maxShare() + " is not above 0 and at most 1",
                    "write the largest share of the known records one run may delete unconfirmed, e.g. maxShare: 0.1");
        }
        if (mapping.delete() == null || mapping.delete().flag() == null) {
            problems.report(path, "the key diff marks each deletion it finds with the mapping's delete.flag, and "
                    + system + "'s mapping has none",
                    "add delete: {flag: deleted} to the mapping of " + system
                            + " (the table needs no such column: only the deletions the key diff finds carry it)");
        }
    }
}
