package io.syncline.conflict;

import io.syncline.exchange.ExchangeContract;

import java.util.Map;

/**
 * A person's resolution of a conflict held for review, carried by the exchange (property
 * {@value ExchangeContract#REVIEW_RESOLUTION}) through the held event's own apply route: the conflict processor takes
 * the decided values for those fields instead of asking their strategy.
 */
public record ReviewResolution(long itemId, String resolvedBy, Map<String, ReviewDecision> decisions) {

    public ReviewResolution {
        decisions = Map.copyOf(decisions);
    }

    /** The run id the resolution is recorded under. */
    public String runId() {
        return "review-" + itemId;
    }
}
