package io.syncline.matching;

import io.syncline.model.EntityDefinition;
import io.syncline.model.MatchRuleSpec;

import java.util.ArrayList;
import java.util.List;

/** Builds an entity's matcher from its declared (and already validated) match rules. */
public final class MatchRules {

    private MatchRules() {
    }

    public static RecordMatcher matcherFor(EntityDefinition entity, IdMapRule.Lookup idMap) {
        List<MatchRule> rules = new ArrayList<>();
        for (MatchRuleSpec spec : entity.match()) {
            rules.add(switch (spec.rule()) {
                case "idMap" -> new IdMapRule(idMap);
                case "externalId" -> FieldEqualityRule.externalId(spec.field());
                case "email" -> FieldEqualityRule.email(fieldOr(spec, "email"));
                case "phone" -> FieldEqualityRule.phone(fieldOr(spec, "phone"), entity.defaultRegion());
                case "fuzzyName" -> new FuzzyNameRule(spec.field(), spec.threshold());
                default -> throw new IllegalArgumentException("Unvalidated match rule " + spec.rule());
            });
        }
        return new RecordMatcher(rules);
    }

    /**
     * The canonical fields whose equal values make two records one person: those the entity's
     * equality rules ({@code email}, {@code phone}, {@code externalId}) compare; a fuzzy name
     * identifies nobody.
     */
    public static List<String> identifyingFields(EntityDefinition entity) {
        List<String> fields = new ArrayList<>();
        for (MatchRuleSpec spec : entity.match()) {
            String field = switch (spec.rule() == null ? "" : spec.rule()) {
                case "externalId" -> spec.field();
                case "email" -> fieldOr(spec, "email");
                case "phone" -> fieldOr(spec, "phone");
                default -> null;
            };
            if (field != null && !fields.contains(field)) {
                fields.add(field);
            }
        }
        return List.copyOf(fields);
    }

    /** The canonical field a rule compares: the one written, else the rule's own name. */
    private static String fieldOr(MatchRuleSpec spec, String fallback) {
        return spec.field() == null ? fallback : spec.field();
    }
}
