package io.syncline.matching;

/** A system id is already linked to another canonical record: linking it again would merge two records. */
public class IdMapConflictException extends RuntimeException {

    public IdMapConflictException(String entity, String system, String systemId, String linked, String wanted) {
        super(entity + " " + system + ":" + systemId + " is linked to canonical id " + linked + ", not " + wanted);
    }
}
