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

    /** The canonical field a rule compares: the one written, else the rule's own name. */
    private static String fieldOr(MatchRuleSpec spec, String fallback) {
        return spec.field() == null ? fallback : spec.field();
    }
}
