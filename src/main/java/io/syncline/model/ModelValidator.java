package io.syncline.model;

import com.google.i18n.phonenumbers.PhoneNumberUtil;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks what the model declares refers to things that exist: systems, fields, owners, match
 * rules, secrets in the environment. Field contracts and transforms are checked when they are
 * compiled ({@code io.syncline.mapping.ContractCompiler}).
 */
public final class ModelValidator {

    static final Set<String> MATCH_RULES = Set.of("idMap", "externalId", "email", "phone", "fuzzyName");

    private final Environment environment;
    private final SystemTypeCatalog types;

    public ModelValidator(Environment environment, SystemTypeCatalog types) {
        this.environment = environment;
        this.types = types;
    }

    public void validate(SyncModel model, ProblemReporter problems) {
        model.systems().forEach((name, system) -> validateSystem("systems." + name, system, problems));
        new AbilityRules(types).check(model, problems);
        model.entities().forEach((name, entity) -> validateEntity("entities." + name, entity, model, problems));
        model.entities().forEach((name, entity) -> validateSource("entities." + name, name, entity, model, problems));
        Map<String, String> webhookOwners = new HashMap<>();
        model.entities().forEach((name, entity) -> entity.webhooks().forEach((system, webhookPath) -> {
            String owner = webhookOwners.putIfAbsent(webhookPath, name + " from " + system);
            if (owner != null && webhookPath != null) {
                problems.report("entities." + name + ".webhooks." + system, "path " + webhookPath + " is already the webhook of "
                        + owner, "give each system and entity a path of its own");
            }
        }));
        model.reconciliations().forEach((name, job) -> ReconciliationRules.check("reconciliations." + name, name, job, model, types, problems));
        model.backfills().forEach((name, backfill) -> BackfillRules.check("backfills." + name, name, backfill, model, problems));
        CaptureRules.checkChannels(model, types, problems);
        CaptureRules.checkSharedStreams(model, types, problems);
    }

    private void validateSystem(String path, SystemDefinition system, ProblemReporter problems) {
        if (system.type() == null) {
            problems.report(path, "the system has no type", "add type: one of " + new TreeSet<>(types.names()));
        } else if (types.abilitiesOf(system.type()) == null) {
            problems.report(path + ".type", "unknown type '" + system.type() + "'",
                    Suggestions.oneOf(system.type(), types.names()));
        }
        rulesOf(system).secrets(system).forEach((secretPath, secret) -> {
            String at = path + "." + secretPath;
            if (secret.isLiteral()) {
                problems.report(at, "a secret is written literally in the model",
                        "write {env: SOME_VARIABLE} and provide SOME_VARIABLE from the environment or a Kubernetes Secret");
            } else if (environment.get(secret.env()) == null) {
                problems.report(at, "environment variable " + secret.env() + " is not set",
                        "set " + secret.env() + " (in Kubernetes: a key of the Secret the deployment reads)");
            }
        });
        if (system.type() != null) {
            types.rulesOf(system.type()).validate(path, system, environment, problems);
        }
    }

    private void validateEntity(String path, EntityDefinition entity, SyncModel model, ProblemReporter problems) {
        Set<String> systems = model.systems().keySet();
        Set<String> fields = entity.fields().keySet();
        if (entity.fields().isEmpty()) {
            problems.report(path + ".fields", "the entity declares no canonical fields", "list its fields under fields:");
        }
        if (entity.master() == null) {
            problems.report(path, "no system of record", "add master: <system>, e.g. master: " + first(systems));
        } else if (!systems.contains(entity.master())) {
            problems.report(path + ".master", "unknown system '" + entity.master() + "'", Suggestions.oneOf(entity.master(), systems));
        } else if (!entity.mappings().containsKey(entity.master())) {
            problems.report(path + ".mappings", "the master system '" + entity.master() + "' has no mapping",
                    "add mappings." + entity.master() + " with the fields it holds");
        }
        if (entity.key() == null) {
            problems.report(path, "no canonical key", "add key: <canonical field that identifies a record>");
        } else if (!fields.contains(entity.key())) {
            problems.report(path + ".key", "key '" + entity.key() + "' is not a declared field", Suggestions.oneOf(entity.key(), fields));
        }
        if (entity.modifiedAt() != null && !fields.contains(entity.modifiedAt())) {
            problems.report(path + ".modifiedAt", "'" + entity.modifiedAt() + "' is not a declared field",
                    Suggestions.oneOf(entity.modifiedAt(), fields));
        } else if (entity.modifiedAt() != null && entity.fields().get(entity.modifiedAt()).type() != CanonicalField.Type.TIMESTAMP) {
            problems.report(path + ".modifiedAt", "'" + entity.modifiedAt() + "' is not a timestamp field",
                    "point modifiedAt at the field with the source's last-modified time (type: timestamp)");
        }
        entity.webhooks().forEach((system, webhookPath) -> {
            if (!entity.mappings().containsKey(system)) {
                problems.report(path + ".webhooks." + system, "no mapping of this entity for '" + system + "'",
                        Suggestions.oneOf(system, entity.mappings().keySet()));
            } else if (webhookPath == null || !webhookPath.matches("/[A-Za-z0-9._~/-]*")) {
                problems.report(path + ".webhooks." + system, "'" + webhookPath + "' is not a URL path",
                        "write the path the system posts to, starting with /, e.g. /webhooks/" + system + "/" + entityName(path));
            } else {
                rulesOf(model.systems().get(system)).validateWebhookSource(path + ".webhooks." + system, system,
                        model.systems().get(system), problems);
            }
        });
        entity.polls().forEach((system, poll) -> PollRules.check(path + ".polls." + system, system, poll, entity,
                model.systems().get(system), rulesOf(model.systems().get(system)), problems));
        CaptureRules.check(path, entity, model.systems(), types, problems);
        SilenceRules.check(path, entity, problems);
        SensitiveRules.check(path, entity, problems);
        validateOwners(path, entity, systems, fields, problems);
        entity.mappings().keySet().stream().filter(system -> !systems.contains(system))
                .forEach(system -> problems.report(path + ".mappings." + system, "unknown system '" + system + "'", Suggestions.oneOf(system, systems)));
        entity.mappings().forEach((system, mapping) -> {
            validateTypeKeys(path + ".mappings." + system, entityName(path), mapping, model.systems().get(system), problems);
            validateApply(path + ".mappings." + system, mapping, problems);
            validateErase(path + ".mappings." + system, mapping, problems);
        });
        validateMatch(path, entity, fields, problems);
        ReferenceRules.check(path, entity, model, problems);
        QuantityRules.check(path, entity, problems);
    }

    /** The rules of the system's type; none for a system that is unknown or has no type (reported already). */
    private SystemTypeRules rulesOf(SystemDefinition system) {
        return system == null || system.type() == null ? SystemTypeRules.NONE : types.rulesOf(system.type());
    }

    /**
     * A mapping's keys of its type's own ({@link SystemTypeRules#mappingKeys}): none that no type
     * has, none another type owns that its type does not take, and what its type checks of them.
     */
    private void validateTypeKeys(String path, String entity, SystemMapping mapping, SystemDefinition system,
            ProblemReporter problems) {
        Set<String> known = new TreeSet<>(SystemMapping.SHARED_KEYS);
        types.names().forEach(type -> {
            Set<String> keys = types.rulesOf(type).mappingKeys();
            if (keys != null) {
                known.addAll(keys);
            }
        });
        for (Iterator<String> names = mapping.settingNames(); names.hasNext();) {
            String key = names.next();
            if (!known.contains(key)) {
                problems.report(path + "." + key, "unknown key '" + key + "'", "use one of " + String.join(", ", known));
            }
        }
        SystemTypeRules rules = rulesOf(system);
        if (rules == SystemTypeRules.NONE) {
            return;
        }
        Set<String> takes = rules.mappingKeys();
        if (takes != null) {
            Map<String, SystemTypeRules.KeyMisuse> owned = new java.util.LinkedHashMap<>();
            types.names().forEach(type -> types.rulesOf(type).ownMappingKeys().forEach(owned::putIfAbsent));
            owned.forEach((key, misuse) -> {
                if (!takes.contains(key) && mapping.declares(key)) {
                    problems.report(path + "." + key, misuse.problem(), misuse.fix());
                }
            });
        }
        if (!rules.namesParentsByExternalId()) {
            for (int i = 0; i < mapping.fields().size(); i++) {
                if (mapping.fields().get(i).externalId() != null) {
                    problems.report(path + ".fields[" + i + "].externalId", "externalId writes a reference by its parent's"
                            + " external id, which a " + system.type() + " system does not take (a Salesforce relationship does)",
                            "remove externalId: this system's mapping holds its own id of the parent at path");
                }
            }
        }
        rules.validateMapping(path, entity, mapping, system, problems);
    }

    /**
     * An entity must have something that moves or checks its records: a source of its changes
     * (a webhook, change polling, change capture), a reconciliation job or a backfill. Without
     * any it would start with no route at all, which is a forgotten source far more often than
     * an intent.
     */
    private static void validateSource(String path, String name, EntityDefinition entity, SyncModel model,
            ProblemReporter problems) {
        if (!entity.webhooks().isEmpty() || !entity.polls().isEmpty() || !entity.captures().isEmpty()
                || model.reconciliations().values().stream().anyMatch(job -> name.equals(job.entity()))
                || model.backfills().values().stream().anyMatch(backfill -> backfill.entityNames().contains(name))) {
            return;
        }
        String source = entity.master() != null ? entity.master() : first(model.systems().keySet());
        problems.report(path, "the entity has no source: no webhook, change polling or change capture brings its"
                + " changes, and no reconciliation or backfill reads it, so Syncline would do nothing with it",
                "add what brings its changes: webhooks: {" + source + ": /webhooks/" + source + "/" + name + "} where "
                        + source + " posts them, polls: {" + source + ": {schedule: \"0/30 * * * * ?\"}} to read them"
                        + " on a schedule, or captures: {" + source + ": {}} for a database's change stream; or a"
                        + " reconciliation of " + name + " to compare and repair it on a schedule. A backfill of " + name
                        + " alone copies its records once");
    }

    private static void validateApply(String path, SystemMapping mapping, ProblemReporter problems) {
        Set<String> points = new TreeSet<>();
        for (SystemMapping.Hook hook : SystemMapping.Hook.values()) {
            points.add(hook.name());
        }
        mapping.hooks().forEach((point, endpoint) -> {
            if (!points.contains(point)) {
                problems.report(path + ".hooks." + point, "unknown hook point '" + point + "'", Suggestions.oneOf(point, points));
            } else if (!isEndpoint(endpoint)) {
                problems.report(path + ".hooks." + point, "'" + endpoint + "' is not a Camel endpoint",
                        "name the route or bean to call, e.g. direct:enrich-contact or bean:ContactStamp?method=stamp");
            }
        });
        if (mapping.route() != null && !mapping.route().startsWith("direct:")) {
            problems.report(path + ".route", "'" + mapping.route() + "' is not a direct: endpoint",
                    "name the from: of the route file that replaces the apply template, e.g. direct:contacts-to-billing");
        }
        if (mapping.schemaDrift() != null && !SystemMapping.SCHEMA_DRIFT.contains(mapping.schemaDrift())) {
            problems.report(path + ".schemaDrift", "unknown schemaDrift '" + mapping.schemaDrift() + "'",
                    Suggestions.oneOf(mapping.schemaDrift(), SystemMapping.SCHEMA_DRIFT));
        }
    }

    /** An erasure that empties fields names fields the mapping writes, never its key. */
    private static void validateErase(String path, SystemMapping mapping, ProblemReporter problems) {
        if (mapping.erase() == null) {
            return;
        }
        Set<String> written = new TreeSet<>();
        // a document's lines kept in a child table (rows) have no path, and are emptied by deleting their rows
        mapping.fields().stream().filter(field -> field.rows() != null || field.path() != null && !field.path().equals(mapping.key()))
                .forEach(field -> written.add(field.field()));
        for (String field : mapping.erase().fields()) {
            if (!written.contains(field)) {
                problems.report(path + ".erase.fields", "'" + field + "' is not a field this mapping holds (its key cannot be emptied)",
                        Suggestions.oneOf(field, written));
            }
        }
        if (!mapping.erase().fields().isEmpty() && mapping.erase().mode() != null
                && mapping.erase().mode() != EraseSpec.Mode.ANONYMISE) {
            problems.report(path + ".erase.fields", "fields are emptied only by mode anonymise, and the mode is "
                    + mapping.erase().mode().code(), "remove fields, or say mode: anonymise");
        }
    }

    private static boolean isEndpoint(String uri) {
        return uri != null && uri.matches("[a-z][a-z0-9+.-]*:\\S+");
    }

    private static String entityName(String path) {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    private static void validateOwners(String path, EntityDefinition entity, Set<String> systems, Set<String> fields,
            ProblemReporter problems) {
        Map<String, String> ownerOf = new HashMap<>();
        entity.owners().forEach((system, owned) -> {
            String at = path + ".owners." + system;
            if (!systems.contains(system)) {
                problems.report(at, "unknown system '" + system + "'", Suggestions.oneOf(system, systems));
            }
            for (String field : owned == null ? List.<String>of() : owned) {
                if (!fields.contains(field)) {
                    problems.report(at, "owned field '" + field + "' is not a declared field", Suggestions.oneOf(field, fields));
                }
                String other = ownerOf.putIfAbsent(field, system);
                if (other != null) {
                    problems.report(at, "field '" + field + "' has two masters: " + other + " and " + system,
                            "list " + field + " under one system only");
                }
            }
        });
    }

    private static void validateMatch(String path, EntityDefinition entity, Set<String> fields, ProblemReporter problems) {
        for (int i = 0; i < entity.match().size(); i++) {
            MatchRuleSpec rule = entity.match().get(i);
            String at = path + ".match[" + i + "]";
            if (rule.rule() == null || !MATCH_RULES.contains(rule.rule())) {
                problems.report(at, "unknown match rule " + rule.written(), Suggestions.oneOf(rule.rule(), MATCH_RULES));
                continue;
            }
            boolean needsField = rule.rule().equals("externalId") || rule.rule().equals("fuzzyName");
            // email and phone compare the canonical field of that name unless told otherwise
            String field = rule.field() != null || needsField ? rule.field() : rule.rule();
            if (field == null && needsField) {
                problems.report(at, rule.rule() + " needs the canonical field it compares",
                        "write {" + rule.rule() + ": {field: <canonical field>}}");
            } else if (field != null && !rule.rule().equals("idMap") && !fields.contains(field)) {
                problems.report(at, "field '" + field + "' is not a declared field", Suggestions.oneOf(field, fields));
            }
            if (rule.rule().equals("fuzzyName")) {
                Double threshold = rule.threshold();
                if (threshold == null || threshold <= 0.0 || threshold > 1.0) {
                    problems.report(at + ".fuzzyName.threshold", "fuzzy threshold " + (threshold == null ? "is missing" : threshold + " is out of range"),
                            "use a similarity between 0.0 (exclusive) and 1.0, e.g. threshold: 0.92");
                }
            }
            if (rule.rule().equals("phone") && !validRegion(entity.defaultRegion())) {
                problems.report(path + ".defaultRegion", "phone matching needs a default region"
                        + (entity.defaultRegion() == null ? "" : "; '" + entity.defaultRegion() + "' is not one"),
                        "set defaultRegion to an ISO 3166 code such as GB or US");
            }
        }
    }

    private static boolean validRegion(String region) {
        return region != null && PhoneNumberUtil.getInstance().getSupportedRegions().contains(region);
    }

    private static String first(Set<String> names) {
        return names.isEmpty() ? "crm" : names.iterator().next();
    }
}
