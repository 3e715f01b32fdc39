package io.syncline.matching;

import io.syncline.exchange.ExchangeContract;
/**
 * A person's answer to an ambiguous match, carried by the exchange (property {@value ExchangeContract#MATCH_CHOICE})
 * through the held event's apply route: the target stage takes the chosen record of
 * {@code targetSystem} (or makes a new one, {@code systemId} null) instead of matching again,
 * and links it in the ID map with the write.
 */
public record MatchChoice(long itemId, String targetSystem, String systemId) {

    /**
     * The name of the exchange property carrying it.
     *
     * @deprecated use {@link ExchangeContract#MATCH_CHOICE}: kept only for the JDBC matcher
     * (io.syncline.write), which is being rewritten onto the connector contract.
     */
    @Deprecated(forRemoval = true)
    public static final String PROPERTY = ExchangeContract.MATCH_CHOICE;

    public boolean createNew() {
        return systemId == null;
    }
}
