package io.syncline.matching;

import java.util.List;

/**
 * What matching found: one record (with the rule that found it and how sure it is), several
 * (ambiguous: never merged, held for review), or none (the record is new to that system).
 */
public record MatchResult(Outcome outcome, String rule, double confidence, List<MatchCandidate> candidates) {

    public enum Outcome {
        MATCHED, AMBIGUOUS, NONE
    }

    public static MatchResult matched(String rule, double confidence, MatchCandidate candidate) {
        return new MatchResult(Outcome.MATCHED, rule, confidence, List.of(candidate));
    }

    public static MatchResult ambiguous(String rule, double confidence, List<MatchCandidate> candidates) {
        return new MatchResult(Outcome.AMBIGUOUS, rule, confidence, List.copyOf(candidates));
    }

    public static MatchResult none() {
        return new MatchResult(Outcome.NONE, null, 0.0, List.of());
    }

    public MatchCandidate match() {
        if (outcome != Outcome.MATCHED) {
            throw new IllegalStateException("No single match: " + outcome);
        }
        return candidates.get(0);
    }
}
