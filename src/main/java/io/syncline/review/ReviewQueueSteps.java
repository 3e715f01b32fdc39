package io.syncline.review;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.syncline.conflict.ConflictHeldException;
import io.syncline.exchange.ExchangeContract;
import io.syncline.mapping.RecordHeldException;
import io.syncline.matching.AmbiguousMatchException;
import io.syncline.rules.RuleHeldException;
import io.syncline.sync.SyncUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;

import java.sql.SQLException;
import java.util.Map;

/**
 * The review queue's route step, which takes the exchange: {@link #hold} queues the record of an
 * event a required-field policy held, a match found ambiguous, a conflict strategy sent to
 * review or a rule held for approval, with what sent it there. Route configurations call it as
 * {@code bean:ReviewQueueSteps?method=hold}; the SQL is {@link ReviewQueueRepository}'s, which
 * takes plain values.
 */
@ApplicationScoped
@Named("ReviewQueueSteps")
public class ReviewQueueSteps {

    @Inject
    ReviewQueueRepository queue;

    /** Queues the record of a {@link RecordHeldException}, an {@link AmbiguousMatchException} or a {@link ConflictHeldException}. */
    public void hold(Exchange exchange) throws SQLException, JsonProcessingException {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        SyncUnit unit = exchange.getProperty(ExchangeContract.SYNC_UNIT, SyncUnit.class);
        // A record held by the transformer is held before its sync unit exists: the route names its target.
        String target = unit == null ? exchange.getProperty(ExchangeContract.TARGET, String.class) : unit.target();
        long id;
        if (cause instanceof AmbiguousMatchException ambiguous) {
            var candidates = ambiguous.result().candidates().stream()
                    .map(candidate -> Map.of("systemId", candidate.systemId(), "fields", candidate.fields()))
                    .toList();
            id = queue.add(new ReviewQueueRepository.Item(ReviewQueueRepository.Kind.ambiguous_match, ambiguous.record(),
                    ambiguous.getMessage(), Map.of(
                            "targetSystem", ambiguous.targetSystem(), "rule", ambiguous.result().rule(),
                            "confidence", ambiguous.result().confidence(), "candidates", candidates),
                    inboxId(exchange),
                    ambiguous.targetSystem(), "match rule " + ambiguous.result().rule()));
        } else if (cause instanceof ConflictHeldException conflict) {
            id = queue.add(new ReviewQueueRepository.Item(ReviewQueueRepository.Kind.conflict, conflict.record(),
                    conflict.getMessage(), Map.of("conflicts", conflict.conflicts()),
                    inboxId(exchange), conflict.targetSystem(), conflict.strategies()));
        } else if (cause instanceof RuleHeldException rule) {
            Map<String, Object> context = new java.util.LinkedHashMap<>();
            context.put("rules", rule.rules().stream().map(io.syncline.rules.Rule::name).toList());
            context.put("conditions", rule.rules().stream().map(io.syncline.rules.Rule::when).toList());
            context.put("values", rule.values());
            id = queue.add(new ReviewQueueRepository.Item(ReviewQueueRepository.Kind.held_by_rule, rule.record(),
                    rule.getMessage(), context, inboxId(exchange), rule.targetSystem(), heldBy(rule)));
        } else {
            RecordHeldException held = (RecordHeldException) cause;
            id = queue.add(new ReviewQueueRepository.Item(ReviewQueueRepository.Kind.held_record, held.received(),
                    String.join("; ", held.reasons()), Map.of("heldFields", held.fields()), inboxId(exchange),
                    target, held.policy()));
        }
        exchange.setProperty(ExchangeContract.REVIEW_ITEM_ID, id);
    }

    /** The rules as the item's "held by" names them: with their conditions, unless that is too long for the column. */
    private static String heldBy(RuleHeldException held) {
        String described = RuleHeldException.describe(held.rules());
        String names = "rule " + String.join(", ", held.rules().stream().map(io.syncline.rules.Rule::name).toList());
        return described.length() <= 200 ? described : names.length() <= 200 ? names : names.substring(0, 199) + "…";
    }

    private static Long inboxId(Exchange exchange) {
        return exchange.getProperty(ExchangeContract.INBOX_ID, Long.class);
    }
}
