package io.syncline.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * An entity (contact, invoice, …): its canonical fields, the system of record ({@code master}),
 * the fields other systems own ({@code owners: {billing: [billingAddress]}}), how each system
 * maps it, and how a record in one system is found in another ({@code match}).
 *
 * @param key           canonical field that identifies a record within its system of record
 * @param defaultRegion ISO 3166 region for phone numbers without a country code, used by matching
 * @param modifiedAt    timestamp field holding when the record last changed in its source: an
 *                      event older than what was applied is stale, and lag is measured from it
 * @param webhooks      source system to the path of its webhook for this entity
 *                      ({@code crm: /webhooks/crm/contacts}); routes take it as
 *                      {@code platform-http:{{model:webhook:contact:crm}}}
 * @param conflict      how a field changed on both sides is decided; none: master-always-wins
 * @param polls         source system to how its changes are polled, for a system that sends no
 *                      webhooks ({@code erp: {schedule: "0/30 * * * * ?"}})
 * @param captures      source system to how its changes are captured from the database's own
 *                      change stream ({@code erp: {table: erp_customer}})
 * @param silentAfter   source system (of a webhook or a poll) to how long it may send or read
 *                      nothing before it counts as silent ({@code crm: 6h}); a poll without one
 *                      is silent after three of its intervals without a poll that ran to its end
 * @param rules         conditions over a record and its change, each with what becomes of a change
 *                      that meets it: held for approval, rejected or alerted ({@link RuleSpec})
 */
@RegisterForReflection
public record EntityDefinition(String key, String master, Map<String, List<String>> owners,
        Map<String, CanonicalField> fields, Map<String, SystemMapping> mappings,
        List<MatchRuleSpec> match, String defaultRegion,
        String modifiedAt, Map<String, String> webhooks, ConflictSpec conflict,
        Map<String, PollSpec> polls, Map<String, CaptureSpec> captures, Map<String, String> silentAfter,
        List<RuleSpec> rules) {

    public EntityDefinition {
        owners = owners == null ? Map.of() : owners;
        fields = fields == null ? Map.of() : fields;
        mappings = mappings == null ? Map.of() : mappings;
        match = match == null ? List.of() : match;
        webhooks = webhooks == null ? Map.of() : webhooks;
        conflict = conflict == null ? new ConflictSpec(null, null) : conflict;
        polls = polls == null ? Map.of() : polls;
        captures = captures == null ? Map.of() : captures;
        silentAfter = silentAfter == null ? Map.of() : silentAfter;
        rules = rules == null ? List.of() : rules;
    }

    /** An entity without rules. */
    public EntityDefinition(String key, String master, Map<String, List<String>> owners, Map<String, CanonicalField> fields,
            Map<String, SystemMapping> mappings, List<MatchRuleSpec> match, String defaultRegion,
            String modifiedAt, Map<String, String> webhooks, ConflictSpec conflict, Map<String, PollSpec> polls,
            Map<String, CaptureSpec> captures, Map<String, String> silentAfter) {
        this(key, master, owners, fields, mappings, match, defaultRegion, modifiedAt, webhooks, conflict, polls, captures,
                silentAfter, null);
    }

    /** An entity that declares no bound of its sources' silence ({@link #silentAfter}). */
    public EntityDefinition(String key, String master, Map<String, List<String>> owners, Map<String, CanonicalField> fields,
            Map<String, SystemMapping> mappings, List<MatchRuleSpec> match, String defaultRegion,
            String modifiedAt, Map<String, String> webhooks, ConflictSpec conflict, Map<String, PollSpec> polls,
            Map<String, CaptureSpec> captures) {
        this(key, master, owners, fields, mappings, match, defaultRegion, modifiedAt, webhooks, conflict, polls, captures, null);
    }

    /** An entity whose changes no database stream is captured from. */
    public EntityDefinition(String key, String master, Map<String, List<String>> owners, Map<String, CanonicalField> fields,
            Map<String, SystemMapping> mappings, List<MatchRuleSpec> match, String defaultRegion,
            String modifiedAt, Map<String, String> webhooks, ConflictSpec conflict, Map<String, PollSpec> polls) {
        this(key, master, owners, fields, mappings, match, defaultRegion, modifiedAt, webhooks, conflict, polls, null, null);
    }

    /** An entity read from no system by polling. */
    public EntityDefinition(String key, String master, Map<String, List<String>> owners, Map<String, CanonicalField> fields,
            Map<String, SystemMapping> mappings, List<MatchRuleSpec> match, String defaultRegion,
            String modifiedAt, Map<String, String> webhooks, ConflictSpec conflict) {
        this(key, master, owners, fields, mappings, match, defaultRegion, modifiedAt, webhooks, conflict, null, null, null);
    }

    /** The systems its changes come from: those with a webhook, then those polled, then those captured. */
    public java.util.Set<String> sources() {
        java.util.Set<String> sources = new java.util.LinkedHashSet<>(webhooks.keySet());
        sources.addAll(polls.keySet());
        sources.addAll(captures.keySet());
        return sources;
    }

    /** The fields that name another entity's record ({@code ref}), by name, in declared order. */
    public Map<String, CanonicalField> references() {
        return CanonicalField.referencesAmong(fields);
    }

    /** The lists of child records ({@code type: list}) whose items name another entity's record, by name. */
    public Map<String, CanonicalField> linesWithReferences() {
        Map<String, CanonicalField> lists = new java.util.LinkedHashMap<>();
        fields.forEach((name, field) -> {
            if (field != null && field.records() && !field.itemReferences().isEmpty()) {
                lists.put(name, field);
            }
        });
        return lists;
    }

    /** The system that owns {@code field}: its declared owner, else the entity's master. */
    public String masterOf(String field) {
        return owners.entrySet().stream()
                .filter(owner -> owner.getValue() != null && owner.getValue().contains(field))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(master);
    }
}
