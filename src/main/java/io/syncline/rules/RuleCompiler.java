package io.syncline.rules;

import io.syncline.model.CanonicalField;
import io.syncline.model.EntityDefinition;
import io.syncline.model.ProblemReporter;
import io.syncline.model.RuleSpec;
import io.syncline.model.Suggestions;
import io.syncline.model.SyncModel;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compiles each entity's {@code rules:} into {@link Rule}s, reporting every problem with its
 * place and fix: a rule without a name or with one used twice, a condition that does not parse
 * (with the character where it stops), a field the entity does not declare, an ordering or a
 * change by an amount of a field that is not a number, an unknown action, and a target the entity
 * has no mapping for.
 */
public final class RuleCompiler {

    private static final String NAME = "[A-Za-z][A-Za-z0-9_-]{0,63}";
    private static final List<String> ACTIONS = List.of("hold", "reject", "alert");

    public Map<String, List<Rule>> compile(SyncModel model, ProblemReporter problems) {
        Map<String, List<Rule>> compiled = new LinkedHashMap<>();
        model.entities().forEach((entity, definition) -> {
            List<Rule> rules = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < definition.rules().size(); i++) {
                Rule rule = compile(entity, "entities." + entity + ".rules[" + i + "]", definition, definition.rules().get(i),
                        names, problems);
                if (rule != null) {
                    rules.add(rule);
                }
            }
            if (!rules.isEmpty()) {
                compiled.put(entity, List.copyOf(rules));
            }
        });
        return compiled;
    }

    private static Rule compile(String entity, String path, EntityDefinition definition, RuleSpec spec, Set<String> names,
            ProblemReporter problems) {
        if (spec == null) {
            problems.report(path, "the rule is empty", "write {name: <name>, when: <condition>, action: hold | reject | alert}");
            return null;
        }
        int before = problems.problems().size();
        if (spec.name() == null || !spec.name().matches(NAME)) {
            problems.report(path + (spec.name() == null ? "" : ".name"), spec.name() == null ? "the rule has no name"
                    : "'" + spec.name() + "' is not a rule name",
                    "name it with up to 64 letters, digits, - and _, starting"
                            + " with a letter (the review queue, dead letters, audit and metrics name it): name: bigAmount");
        } else if (!names.add(spec.name())) {
            problems.report(path + ".name", "rule '" + spec.name() + "' is declared twice in " + entity,
                    "give each rule of the entity a name of its own");
        }
        Rule.Action action = null;
        if (spec.action() == null) {
            problems.report(path, "the rule has no action", "add action: hold (for approval), reject or alert");
        } else if (!ACTIONS.contains(spec.action())) {
            problems.report(path + ".action", "unknown action '" + spec.action() + "'", Suggestions.oneOf(spec.action(), ACTIONS));
        } else {
            action = Rule.Action.valueOf(spec.action().toUpperCase(Locale.ROOT));
        }
        for (String target : spec.targets()) {
            if (!definition.mappings().containsKey(target)) {
                problems.report(path + ".targets", "'" + target + "' is not a system " + entity + " is mapped to",
                        Suggestions.oneOf(target, definition.mappings().keySet()));
            }
        }
        RuleCondition condition = null;
        if (spec.when() == null) {
            problems.report(path, "the rule has no condition", "add when: <condition>, e.g. when: amount > 10000");
        } else {
            try {
                condition = RuleParser.parse(spec.when());
                check(path + ".when", definition, condition, problems);
            } catch (RuleParser.SyntaxException e) {
                problems.report(path + ".when", "'" + spec.when() + "' does not parse at character " + e.position() + ": "
                        + e.getMessage(),
                        "write a condition such as amount > 10000, quantity < reorderPoint, quantity"
                                + " decreases by more than 50%, status == 'blocked', email is missing, same (amount, customer)"
                                + " within 24h of date, joined with and, or, not (docs/model.md, Rules)");
            }
        }
        if (problems.problems().size() > before) {
            return null;
        }
        return new Rule(entity, spec.name(), spec.when(), condition, action, List.copyOf(spec.targets()));
    }

    /** The fields the condition names exist, and those it treats as numbers are numbers. */
    private static void check(String path, EntityDefinition definition, RuleCondition condition, ProblemReporter problems) {
        Set<String> fields = new java.util.TreeSet<>();
        condition.fields(fields);
        for (String field : fields) {
            CanonicalField declared = definition.fields().get(field);
            if (declared == null) {
                problems.report(path, "'" + field + "' is not a declared field", Suggestions.oneOf(field, definition.fields().keySet()));
            } else if (declared.list()) {
                problems.report(path, "'" + field + "' is a list, which a rule does not compare",
                        "compare a field that holds one value");
            }
        }
        numeric(condition, definition, path, problems);
    }

    private static void numeric(RuleCondition condition, EntityDefinition definition, String path, ProblemReporter problems) {
        if (condition instanceof RuleCondition.And and) {
            numeric(and.left(), definition, path, problems);
            numeric(and.right(), definition, path, problems);
        } else if (condition instanceof RuleCondition.Or or) {
            numeric(or.left(), definition, path, problems);
            numeric(or.right(), definition, path, problems);
        } else if (condition instanceof RuleCondition.Not not) {
            numeric(not.inner(), definition, path, problems);
        } else if (condition instanceof RuleCondition.Same same && same.over() != null) {
            CanonicalField declared = definition.fields().get(same.over());
            if (declared != null && !declared.list() && declared.type() != CanonicalField.Type.DATE
                    && declared.type() != CanonicalField.Type.TIMESTAMP) {
                problems.report(path, "'of " + same.over() + "' measures the window on a date or a timestamp, and "
                        + same.over() + " is of type " + typeName(declared),
                        "name a field of type date or timestamp after 'of', or leave 'of' out to measure the window on"
                                + " when Syncline saw the records");
            }
        } else if (condition instanceof RuleCondition.Moves moves) {
            needsNumber(moves.field(), moves.decrease() ? "decreases" : "increases", definition, path, problems);
        } else if (condition instanceof RuleCondition.Compare compare && compare.comparison().ordering()) {
            for (RuleCondition.Operand operand : List.of(compare.left(), compare.right())) {
                if (operand instanceof RuleCondition.FieldValue field) {
                    needsNumber(field.field(), compare.comparison().symbol, definition, path, problems);
                } else if (!(((RuleCondition.Literal) operand).value() instanceof java.math.BigDecimal)) {
                    problems.report(path, "'" + compare.comparison().symbol + "' compares numbers, and "
                            + shown(operand) + " is not one", "compare with a number, e.g. amount > 10000");
                }
            }
        }
    }

    private static void needsNumber(String field, String operator, EntityDefinition definition, String path, ProblemReporter problems) {
        CanonicalField declared = definition.fields().get(field);
        if (declared != null && !declared.list() && declared.type() != CanonicalField.Type.INTEGER
                && declared.type() != CanonicalField.Type.DECIMAL) {
            problems.report(path, "'" + operator + "' compares numbers, and " + field + " is of type " + typeName(declared),
                    "use == or != on it, or declare " + field + " type: integer or decimal");
        }
    }

    private static String typeName(CanonicalField declared) {
        return declared.type() == null ? "(none)" : declared.type().name().toLowerCase(Locale.ROOT);
    }

    private static String shown(RuleCondition.Operand operand) {
        Object value = ((RuleCondition.Literal) operand).value();
        return value instanceof String text ? "'" + text + "'" : String.valueOf(value);
    }
}
