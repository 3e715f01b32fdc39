package io.syncline.model;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a sensitive field ({@code sensitive: true}) may be: Syncline keeps only its digest, so a
 * field that identifies the record (the entity's key), names another record ({@code ref}) or holds
 * child records ({@code type: list}) cannot be one, and nothing that needs its clear value once
 * synced may read it: a rule's condition (a comparison with the previous value, a number) or a
 * match rule (a search of the values Syncline keeps). Equality is all a digest keeps: conflict
 * strategies, echo suppression and unchanged detection compare by it.
 */
final class SensitiveRules {

    private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"");

    private SensitiveRules() {
    }

    static void check(String path, EntityDefinition entity, ProblemReporter problems) {
        Set<String> sensitive = new TreeSet<>();
        entity.fields().forEach((name, field) -> {
            if (field == null || !field.isSensitive()) {
                return;
            }
            sensitive.add(name);
            String at = path + ".fields." + name + ".sensitive";
            if (name.equals(entity.key())) {
                problems.report(at, "the entity's key cannot be sensitive: it names the record in the ID map, the inbox"
                        + " and the audit", "remove sensitive: true, or key the entity by another field");
            } else if (field.reference()) {
                problems.report(at, "a reference cannot be sensitive: Syncline translates it through the ID map",
                        "remove sensitive: true");
            } else if (field.records()) {
                problems.report(at, "a list of child records cannot be sensitive", "remove sensitive: true");
            }
        });
        entity.fields().forEach((name, field) -> {
            if (field != null) {
                field.items().forEach((item, element) -> {
                    if (element != null && element.isSensitive()) {
                        problems.report(path + ".fields." + name + ".items." + item + ".sensitive",
                                "a field of child records cannot be sensitive", "remove sensitive: true");
                    }
                });
            }
        });
        if (sensitive.isEmpty()) {
            return;
        }
        List<RuleSpec> rules = entity.rules();
        for (int i = 0; i < rules.size(); i++) {
            RuleSpec rule = rules.get(i);
            String when = rule == null || rule.when() == null ? "" : QUOTED.matcher(rule.when()).replaceAll("''");
            for (String name : sensitive) {
                if (Pattern.compile("\\b" + Pattern.quote(name) + "\\b").matcher(when).find()) {
                    problems.report(path + ".rules[" + i + "].when", "the rule reads sensitive field '" + name
                            + "', whose earlier values Syncline keeps only as digests, and whose value an alert or a"
                            + " review would show", "write the rule on another field, or remove sensitive: true from " + name);
                }
            }
        }
        List<MatchRuleSpec> match = entity.match();
        for (int i = 0; i < match.size(); i++) {
            MatchRuleSpec spec = match.get(i);
            String field = spec == null ? null : spec.field() != null ? spec.field() : spec.rule();
            if (field != null && sensitive.contains(field)) {
                problems.report(path + ".match[" + i + "]", "the match rule compares sensitive field '" + field
                        + "', which Syncline keeps only as a digest",
                        "match by another field, or remove sensitive: true from "
                                + field);
            }
        }
    }
}
