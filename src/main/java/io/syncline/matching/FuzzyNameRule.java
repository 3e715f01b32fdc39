package io.syncline.matching;

import io.syncline.mapping.CanonicalRecord;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Jaro-Winkler similarity of normalised company names (case, punctuation and legal forms
 * removed), accepting candidates at or above the threshold.
 */
public final class FuzzyNameRule implements MatchRule {

    private static final JaroWinklerSimilarity SIMILARITY = new JaroWinklerSimilarity();

    private final String field;
    private final double threshold;

    public FuzzyNameRule(String field, double threshold) {
        this.field = field;
        this.threshold = threshold;
    }

    @Override
    public String name() {
        return "fuzzyName";
    }

    @Override
    public List<Scored> find(CanonicalRecord record, String targetSystem, Supplier<Collection<MatchCandidate>> candidates) {
        String name = MatchKeys.companyName(record.fields().get(field));
        if (name == null) {
            return List.of();
        }
        return candidates.get().stream()
                .map(candidate -> score(name, candidate))
                .filter(scored -> scored.confidence() >= threshold)
                .sorted(Comparator.comparingDouble(Scored::confidence).reversed())
                .toList();
    }

    private Scored score(String name, MatchCandidate candidate) {
        String other = MatchKeys.companyName(candidate.fields().get(field));
        return new Scored(candidate, other == null ? 0.0 : SIMILARITY.apply(name, other));
    }
}
