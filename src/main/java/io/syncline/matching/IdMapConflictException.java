package io.syncline.matching;

/** A system id is already linked to another canonical record: linking it again would merge two records. */
public class IdMapConflictException extends RuntimeException {

    public IdMapConflictException(String entity, String system, String systemId, String linked, String wanted) {
        super(linkedElsewhere(entity, system, systemId, linked, wanted));
    }

    /** What a link of {@code system:systemId} to {@code wanted} meets when the ID map links it to {@code linked}. */
    public static String linkedElsewhere(String entity, String system, String systemId, String linked, String wanted) {
        return entity + " " + system + ":" + systemId + " is linked to canonical id " + linked + ", not " + wanted;
    }

    /** What a link of {@code system:systemId} to {@code canonicalId} meets when that record is another id there. */
    public static String recordLinkedElsewhere(String entity, String canonicalId, String system, String linkedId, String systemId) {
        return entity + " " + canonicalId + " is linked to " + system + ":" + linkedId + ", not " + system + ":" + systemId;
    }
}
