package io.syncline.matching;

/** A record of an entity named by its id in one system: one side of an ID map link. */
public record SystemRecord(String entity, String system, String systemId) {
}
