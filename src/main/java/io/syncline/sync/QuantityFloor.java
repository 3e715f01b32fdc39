package io.syncline.sync;

import io.syncline.exchange.ExchangeContract;
import io.syncline.model.QuantitySpec;
import io.syncline.rules.Rule;
import io.syncline.rules.RuleHeldException;
import io.syncline.rules.RuleParser;
import io.syncline.rules.RuleRejectedException;
import org.apache.camel.Exchange;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A quantity's floor ({@code quantity: {floor: 0, below: hold}}): a change that would take a
 * target's value below it is not written. The target stage checks it where the value is, in the
 * same statement that adds the change ({@code … WHERE qty + ? >= ?}), so two concurrent changes
 * cannot both pass a check the other invalidates; what becomes of a change refused is the rules'
 * own: a hold in the review queue (kind held_by_rule) naming the floor as rule {@code <field>-floor},
 * approved like any rule, or a dead letter.
 */
public final class QuantityFloor {

    private QuantityFloor() {
    }

    /** The floor's rule name: {@code stock-floor}. */
    public static String ruleName(String field) {
        return field + "-floor";
    }

    /** Whether a person approved the event against the field's floor: it is then written below it. */
    public static boolean approved(Exchange exchange, String field) {
        Collection<?> approved = exchange.getProperty(ExchangeContract.RULE_APPROVAL, List.of(), Collection.class);
        return approved.contains(ruleName(field));
    }

    /**
     * Refuses the unit's change of the field, which would take the target from {@code current} to
     * {@code current + change}, below the floor: held for approval or rejected, as the field says.
     */
    public static RuntimeException refused(SyncUnit unit, String field, QuantitySpec spec, Object current, BigDecimal change) {
        String when = field + " >= " + spec.floor().toPlainString();
        Rule rule = new Rule(unit.entity(), ruleName(field), when, RuleParser.parse(when),
                spec.below() == QuantitySpec.Below.REJECT ? Rule.Action.REJECT : Rule.Action.HOLD, List.of());
        if (rule.action() == Rule.Action.REJECT) {
            return new RuleRejectedException(unit.record(), rule, unit.target());
        }
        BigDecimal now = QuantityChanges.number(current);
        Map<String, Object> pair = new LinkedHashMap<>();
        pair.put("previous", current);
        pair.put("new", now == null ? null : now.add(change));
        pair.put("change", change);
        return new RuleHeldException(unit.record(), List.of(rule), unit.target(), Map.of(field, pair));
    }
}
