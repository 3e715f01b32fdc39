package io.syncline.matching;

import io.syncline.mapping.CanonicalRecord;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import java.util.Objects;
import java.util.function.Function;

/**
 * Exact equality of one canonical field after normalisation: external id, email, phone.
 * Every equal candidate is returned, so that two records sharing an email are ambiguous.
 */
public final class FieldEqualityRule implements MatchRule {

    private final String name;
    private final String field;
    private final double confidence;
    private final Function<Object, String> normalise;

    public FieldEqualityRule(String name, String field, double confidence, Function<Object, String> normalise) {
        this.name = name;
        this.field = field;
        this.confidence = confidence;
        this.normalise = normalise;
    }

    public static FieldEqualityRule externalId(String field) {
        return new FieldEqualityRule("externalId", field, 1.0, value -> value == null ? null : value.toString().strip());
    }

    public static FieldEqualityRule email(String field) {
        return new FieldEqualityRule("email", field, 0.95, MatchKeys::email);
    }

    public static FieldEqualityRule phone(String field, String defaultRegion) {
        return new FieldEqualityRule("phone", field, 0.9, value -> MatchKeys.phone(value, defaultRegion));
    }

    @Override
    public String name() {
        return name;
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
