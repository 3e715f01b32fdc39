package io.syncline.matching;

/**
 * A person's answer to an ambiguous match, carried by the exchange (property {@value #PROPERTY})
 * through the held event's apply route: the target stage takes the chosen record of
 * {@code targetSystem} (or makes a new one, {@code systemId} null) instead of matching again,
 * and links it in the ID map with the write.
 */
public record MatchChoice(long itemId, String targetSystem, String systemId) {

    public static final String PROPERTY = "SynclineMatchChoice";

    public boolean createNew() {
        return systemId == null;
    }
}
