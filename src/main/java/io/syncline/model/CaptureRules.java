package io.syncline.model;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Checks an entity's {@code captures}: each captured system is mapped, is read in no other way (a
 * webhook or a poll besides would put each change in twice), and its options are its kind's: a
 * database's table, slot, publication, server id and snapshot unless its type checks its captures itself (a
 * Salesforce org's channel: {@link SystemTypeRules#validateCapture}). Whether
 * the system's type can capture is {@link AbilityRules}' check.
 */
final class CaptureRules {

    private static final String IDENTIFIER = "[a-z_][a-z0-9_]{0,62}";
    private static final String TABLE = "([A-Za-z_][A-Za-z0-9_]{0,62}\\.)?[A-Za-z_][A-Za-z0-9_]{0,62}";
    private static final long MAX_SERVER_ID = 4_294_967_295L;

    private CaptureRules() {
    }

    static void check(String path, EntityDefinition entity, Map<String, SystemDefinition> systems, SystemTypeCatalog types,
            ProblemReporter problems) {
        entity.captures().forEach((system, capture) -> check(path + ".captures." + system, system, capture, entity,
                rulesOf(systems.get(system), types), problems));
    }

    /**
     * One capture per channel of an org: Camel's Salesforce consumer keeps the replay id it resumes
     * from per channel name, for every org of the process, so two captures of one channel would
     * resume from each other's position.
     */
    static void checkChannels(SyncModel model, SystemTypeCatalog types, ProblemReporter problems) {
        Map<String, String> captured = new HashMap<>();
        model.entities().forEach((entity, definition) -> definition.captures().forEach((system, capture) -> {
            SystemMapping mapping = definition.mappings().get(system);
            String channel = mapping == null ? null
                    : rulesOf(model.systems().get(system), types).captureChannel(capture == null ? CaptureSpec.DEFAULTS : capture, mapping);
            if (channel == null) {
                return;
            }
            String path = "entities." + entity + ".captures." + system;
            String before = captured.putIfAbsent(channel, path);
            if (before != null) {
                problems.report(path + ".channel", "channel " + channel + " is captured already by " + before,
                        "capture each channel once in the whole model: give each object its own channel");
            }
        }));
    }

    /**
     * One entity per captured system of a type whose capture consumes one stream
     * ({@link SystemTypeRules#capturedOnce}): two entities' routes on one queue would each take
     * messages the other's entity owns.
     */
    static void checkSharedStreams(SyncModel model, SystemTypeCatalog types, ProblemReporter problems) {
        Map<String, String> captured = new HashMap<>();
        model.entities().forEach((entity, definition) -> definition.captures().keySet().forEach(system -> {
            if (!rulesOf(model.systems().get(system), types).capturedOnce()) {
                return;
            }
            String path = "entities." + entity + ".captures." + system;
            String before = captured.putIfAbsent(system, path);
            if (before != null) {
                problems.report(path, system + " is captured already by " + before + ": its messages are consumed from one"
                        + " endpoint, and two entities' routes would compete for them, each taking the other's",
                        "capture " + system + " for one entity only; give this entity a system of its own (its own queue,"
                                + " topic or folder)");
            }
        }));
    }

    private static SystemTypeRules rulesOf(SystemDefinition definition, SystemTypeCatalog types) {
        return definition == null || definition.type() == null ? SystemTypeRules.NONE : types.rulesOf(definition.type());
    }

    private static void check(String path, String system, CaptureSpec capture, EntityDefinition entity, SystemTypeRules rules,
            ProblemReporter problems) {
        SystemMapping mapping = entity.mappings().get(system);
        if (mapping == null) {
            problems.report(path, "no mapping of this entity for '" + system + "'", Suggestions.oneOf(system, entity.mappings().keySet()));
            return;
        }
        if (entity.webhooks().containsKey(system) || entity.polls().containsKey(system)) {
            problems.report(path, system + " sends this entity by " + (entity.webhooks().containsKey(system) ? "webhook" : "polling")
                    + " already", "capture it, poll it or take its webhook: one of them");
        }
        CaptureSpec spec = capture == null ? CaptureSpec.DEFAULTS : capture;
        if (!rules.validateCapture(path, spec, mapping, problems)) {
            checkTable(path, system, spec, rules.table(mapping), problems);
        }
    }

    /** @param mapped the table the mapping names ({@link SystemTypeRules#table}) */
    private static void checkTable(String path, String system, CaptureSpec spec, String mapped, ProblemReporter problems) {
        if (spec.channel() != null) {
            problems.report(path + ".channel", "channel is for a Salesforce org's capture",
                    "remove channel: a database's changes are read from its table (table:)");
        }
        String table = spec.table() != null ? spec.table() : mapped;
        if (table == null) {
            problems.report(path + ".table", "no table to capture", "add table: <the table of " + system + " that holds the entity>");
        } else if (!table.matches(TABLE)) {
            problems.report(path + ".table", "'" + table + "' is not a plain table name", "write table or schema.table, letters, digits and _ only");
        }
        identifier(path + ".slot", spec.slot(), problems);
        identifier(path + ".publication", spec.publication(), problems);
        if (spec.serverId() != null && (spec.serverId() < 1 || spec.serverId() > MAX_SERVER_ID)) {
            problems.report(path + ".serverId", "server id " + spec.serverId() + " is out of range",
                    "use 1 to " + MAX_SERVER_ID + ", unlike any other replica of the server");
        }
        if (spec.snapshot() != null && !Set.of(CaptureSpec.SNAPSHOT_NONE, CaptureSpec.SNAPSHOT_INITIAL).contains(spec.snapshot())) {
            problems.report(path + ".snapshot", "unknown snapshot '" + spec.snapshot() + "'",
                    "write none (changes from the first start on) or initial (every row already there first)");
        }
    }

    private static void identifier(String path, String name, ProblemReporter problems) {
        if (name != null && !name.matches(IDENTIFIER)) {
            problems.report(path, "'" + name + "' is not a name PostgreSQL takes for it", "use lower-case letters, digits and _ only");
        }
    }
}
