package io.syncline.links;

/**
 * One row of an ID map import, from line {@code line} of the CSV: the record {@code system:systemId}
 * of {@code entity} is either the canonical record {@code canonicalId} or, when that is null, the
 * same record as {@code otherSystem:otherSystemId}.
 */
record LinkRow(long line, String entity, String canonicalId, String system, String systemId, String otherSystem,
        String otherSystemId) {

    boolean isPair() {
        return canonicalId == null;
    }
}
