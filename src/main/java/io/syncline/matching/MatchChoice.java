package io.syncline.matching;

import io.syncline.exchange.ExchangeContract;

/**
 * A person's answer to an ambiguous match, carried by the exchange (property {@value ExchangeContract#MATCH_CHOICE})
 * through the held event's apply route: the target stage takes the chosen record of
 * {@code targetSystem} (or makes a new one, {@code systemId} null) instead of matching again,
 * and links it in the ID map with the write.
 */
public record MatchChoice(long itemId, String targetSystem, String systemId) {

    public boolean createNew() {
        return systemId == null;
    }
}
