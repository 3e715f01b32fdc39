package io.syncline.review;

import io.syncline.exchange.ExchangeContract;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;

/**
 * A change rules {@code hold} held, resolved by approving it: {@code {"approve": true}}. The held
 * event goes through its apply route again, the rules stage letting it pass the approved rules
 * ({@link ExchangeContract#RULE_APPROVAL}) and every other stage deciding as before; to refuse
 * the change, discard the item.
 */
@ApplicationScoped
class RuleHoldItemResolution implements ItemResolution {

    @Override
    public ReviewQueueRepository.Kind kind() {
        return ReviewQueueRepository.Kind.held_by_rule;
    }

    @Override
    public Answer read(ReviewItem item, Map<String, Object> stored, Map<String, Object> body, String resolvedBy) {
        List<String> rules = ItemResolution.contextList(stored, "rules").stream().map(String::valueOf).toList();
        String named = "rule " + String.join(", ", rules);
        if (!Boolean.TRUE.equals(body.get("approve"))) {
            throw new IllegalArgumentException("Review item " + item.id() + " waits for approval against " + named
                    + ": approve it with {\"approve\": true}, or discard it to leave the change unwritten");
        }
        String note = ItemResolution.notePrefix(item, resolvedBy) + "approved against " + named;
        return new Answer(Map.of("approve", true, "rules", rules), note, Map.of(ExchangeContract.RULE_APPROVAL, rules));
    }
}
