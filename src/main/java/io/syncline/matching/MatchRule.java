package io.syncline.matching;

import io.syncline.mapping.CanonicalRecord;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/** One way of finding a record in another system. Rules are tried in the order declared. */
public interface MatchRule {

    String name();

    /**
     * Candidates this rule accepts, best first, each with its confidence; empty when it cannot
     * tell. {@code candidates} is only searched (and loaded) by rules that need it.
     */
    List<Scored> find(CanonicalRecord record, String targetSystem, Supplier<Collection<MatchCandidate>> candidates);

    record Scored(MatchCandidate candidate, double confidence) {
    }
}
