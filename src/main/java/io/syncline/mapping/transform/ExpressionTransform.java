package io.syncline.mapping.transform;

import io.syncline.mapping.FieldPaths;
import org.apache.commons.lang3.StringUtils;
import org.apache.commons.text.StringSubstitutor;
import org.apache.commons.text.lookup.StringLookup;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code expression}: a value computed from the canonical record with a {@code ${field}}
 * template, e.g. {@code "${firstName} ${lastName}"}; {@code ${address.city}} reads through nested
 * maps. The same in both directions, since it reads the canonical record, not the input value.
 * <p>
 * A missing or null field is empty text, and the result is trimmed with runs of whitespace
 * collapsed, so a missing part leaves no stray spaces ({@code "Ada"}, not {@code "Ada "}); an
 * empty result is {@code null}. Field values are inserted as they are, never expanded again, so
 * a record value containing {@code ${...}} cannot read other fields.
 */
final class ExpressionTransform implements FieldTransform {

    static final String NAME = "expression";
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    private final String template;

    private ExpressionTransform(String template) {
        this.template = template;
    }

    static ExpressionTransform create(Object parameters) {
        if (!(parameters instanceof String template) || template.isBlank()) {
            throw new InvalidTransformSpecException(NAME, "the template is missing or not text: '" + parameters + "'",
                    "write the template after the name, e.g. {expression: \"${firstName} ${lastName}\"}");
        }
        Matcher variables = VARIABLE.matcher(template);
        if (!variables.find()) {
            throw new InvalidTransformSpecException(NAME, "template '" + template + "' has no ${field} variable",
                    "use {constant: '" + template + "'} for a fixed value");
        }
        do {
            if (variables.group(1).isBlank()) {
                throw new InvalidTransformSpecException(NAME, "template '" + template + "' has an empty ${}",
                        "name a field of the canonical record inside it, e.g. ${lastName}");
            }
        } while (variables.find());
        return new ExpressionTransform(template);
    }

    @Override
    public Object toCanonical(Object value, TransformContext context) {
        return evaluate(context.record() == null ? Map.of() : context.record());
    }

    @Override
    public Object toSystem(Object value, TransformContext context) {
        return toCanonical(value, context);
    }

    private String evaluate(Map<String, Object> record) {
        StringSubstitutor substitutor = new StringSubstitutor(fieldsOf(record));
        substitutor.setDisableSubstitutionInValues(true);
        // No ${field:-default} syntax: missing fields are already empty, so a default could never apply.
        substitutor.setValueDelimiterMatcher(null);
        String result = StringUtils.normalizeSpace(substitutor.replace(template));
        return result.isEmpty() ? null : result;
    }

    private static StringLookup fieldsOf(Map<String, Object> record) {
        return variable -> {
            String path = variable.strip();
            Object value = record.containsKey(path) ? record.get(path) : FieldPaths.get(record, path);
            if (value == null) {
                return "";
            }
            return value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString();
        };
    }
}
