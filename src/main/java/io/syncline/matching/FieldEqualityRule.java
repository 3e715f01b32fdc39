package io.syncline.matching;

import io.syncline.mapping.CanonicalRecord;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Exact equality of one canonical field after normalisation: external id, email, phone.
 * Every equal candidate is returned, so that two records sharing an email are ambiguous. A
 * table is searched by equality of a key on an expression of the field's column: the trimmed
 * value for an external id, the lower-cased trimmed address for an email, the last six digits
 * for a phone (a number written in any format ends in them; the E.164 comparison then decides).
 */
public final class FieldEqualityRule implements MatchRule {

    private final String name;
    private final String field;
    private final double confidence;
    private final Function<Object, String> normalise;
    private final Function<Object, String> searchKey;
    private final UnaryOperator<String> searched;

    /**
     * @param normalise the value's normal form, compared for equality
     * @param searchKey the key a search looks up for a value (not blank)
     * @param searched  the SQL expression of a column that a search compares with the key
     */
    private FieldEqualityRule(String name, String field, double confidence, Function<Object, String> normalise,
            Function<Object, String> searchKey, UnaryOperator<String> searched) {
        this.name = name;
        this.field = field;
        this.confidence = confidence;
        this.normalise = normalise;
        this.searchKey = searchKey;
        this.searched = searched;
    }

    public static FieldEqualityRule externalId(String field) {
        return new FieldEqualityRule("externalId", field, 1.0, value -> value == null ? null : value.toString().strip(),
                value -> value.toString().strip(), column -> column);
    }

    public static FieldEqualityRule email(String field) {
        return new FieldEqualityRule("email", field, 0.95, MatchKeys::email,
                MatchKeys::email, column -> "LOWER(TRIM(" + column + "))");
    }

    public static FieldEqualityRule phone(String field, String defaultRegion) {
        return new FieldEqualityRule("phone", field, 0.9, value -> MatchKeys.phone(value, defaultRegion),
                FieldEqualityRule::lastSixDigits, column -> "RIGHT(" + column + ", 6)");
    }

    private static String lastSixDigits(Object value) {
        String digits = MatchKeys.digits(value.toString());
        return digits.length() < 6 ? null : digits.substring(digits.length() - 6);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String searchedField() {
        return field;
    }

    @Override
    public String searchKey(Object value) {
        return searchKey.apply(value);
    }

    @Override
    public String searchedExpression(String column) {
        return searched.apply(column);
    }

    @Override
    public List<String> searchConditions(String searched) {
        return List.of(searched + " = ? LIMIT " + SEARCH_LIMIT);
    }

    @Override
    public List<Scored> find(CanonicalRecord record, String targetSystem, Supplier<Collection<MatchCandidate>> candidates) {
        String key = normalise.apply(record.fields().get(field));
        if (key == null || key.isEmpty()) {
            return List.of();
        }
        return candidates.get().stream()
                .filter(candidate -> Objects.equals(key, normalise.apply(candidate.fields().get(field))))
                .map(candidate -> new Scored(candidate, confidence))
                .toList();
    }
}
