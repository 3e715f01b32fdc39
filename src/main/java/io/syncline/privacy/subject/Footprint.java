package io.syncline.privacy.subject;

import java.util.Map;
import java.util.Set;

/**
 * Where one person is: their canonical ids, their record's id in each system, their match keys'
 * values (canonical, lower-cased) and the digests of all these identifiers. {@code records}
 * holds each system record as read while resolving (absent: the system has none, or it was not
 * read; {@code unreadable} says why per system).
 */
public record Footprint(String entity, Set<String> canonicalIds, Map<String, Set<String>> ids, Set<String> keyValues,
        Set<String> digests, Map<String, Map<String, Object>> records, Map<String, String> unreadable) {

    /** The key of {@link #records}: a system and its record's id. */
    public static String recordKey(String system, String id) {
        return system + "/" + id;
    }

    /** Every system id of the person, in every system. */
    public Set<String> allIds() {
        Set<String> all = new java.util.TreeSet<>();
        ids.values().forEach(all::addAll);
        return all;
    }
}
