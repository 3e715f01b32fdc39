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
 *
 * <p>A name has no value to look up by equality, so a table is searched for the sorted
 * neighbourhood of the name: the 12 names just below it and the 13 from it upwards in
 * lower-case order, so that names sharing the longest start come first, as Jaro-Winkler weighs
 * them. An equality on the first letters would read an arbitrary 25 of the rows sharing them,
 * and beyond 25 such rows (a few thousand contacts are enough for the commonest pairs) the true
 * match would often not be among them.
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
    public String searchedField() {
        return field;
    }

    @Override
    public String searchKey(Object value) {
        return MatchKeys.companyName(value);
    }

    @Override
    public String searchedExpression(String column) {
        return "LOWER(" + column + ")";
    }

    @Override
    public List<String> searchConditions(String name) {
        return List.of(
                name + " < ? ORDER BY " + name + " DESC LIMIT " + (SEARCH_LIMIT / 2),
                name + " >= ? ORDER BY " + name + " LIMIT " + (SEARCH_LIMIT - SEARCH_LIMIT / 2));
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
        // A name that cannot reach the threshold scores 0 (it is dropped either way) without the
        // full comparison: most candidates of the blocking query are such names.
        return new Scored(candidate, other == null || !couldReach(name, other, threshold) ? 0.0 : SIMILARITY.apply(name, other));
    }

    /**
     * False only when Jaro-Winkler similarity of {@code a} and {@code b} is certainly below
     * {@code threshold}, from an upper bound that costs one pass over each name: Jaro's matching
     * characters are at most the characters the two names share (as multisets), transpositions
     * only lower it, and the Winkler boost is at most 0.1 per common prefix character (up to 4).
     * Names with characters outside ASCII are always compared in full.
     */
    static boolean couldReach(String a, String b, double threshold) {
        int[] counts = new int[128];
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (c >= 128) {
                return true;
            }
            counts[c]++;
        }
        int shared = 0;
        for (int i = 0; i < b.length(); i++) {
            char c = b.charAt(i);
            if (c >= 128) {
                return true;
            }
            if (counts[c] > 0) {
                counts[c]--;
                shared++;
            }
        }
        if (shared == 0 || a.isEmpty() || b.isEmpty()) {
            return a.equals(b);
        }
        double jaro = ((double) shared / a.length() + (double) shared / b.length() + 1) / 3;
        int prefix = 0;
        while (prefix < Math.min(4, Math.min(a.length(), b.length())) && a.charAt(prefix) == b.charAt(prefix)) {
            prefix++;
        }
        double bound = jaro + 0.1 * prefix * (1 - jaro);
        return bound + 1e-9 >= threshold;
    }
}
