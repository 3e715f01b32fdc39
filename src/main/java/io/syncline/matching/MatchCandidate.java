package io.syncline.matching;

import java.util.Map;

/** A record of the system being searched, already in canonical fields, with its own id there. */
public record MatchCandidate(String systemId, Map<String, Object> fields) {
}
