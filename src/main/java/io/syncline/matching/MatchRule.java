package io.syncline.matching;

import io.syncline.mapping.CanonicalRecord;

import java.util.Collection;
import java.util.List;

/** One way of finding a record in another system. Rules are tried in the order declared. */
public interface MatchRule {

    String name();

    /** Candidates this rule accepts, best first, each with its confidence; empty when it cannot tell. */
    List<Scored> find(CanonicalRecord record, String targetSystem, Collection<MatchCandidate> candidates);

    record Scored(MatchCandidate candidate, double confidence) {
    }
}
