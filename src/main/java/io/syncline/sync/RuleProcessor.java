package io.syncline.sync;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.syncline.compiled.SyncModelRegistry;
import io.syncline.exchange.ExchangeContract;
import io.syncline.mapping.CanonicalRecord;
import io.syncline.metrics.SyncMetrics;
import io.syncline.rules.RepeatMarks;
import io.syncline.rules.Rule;
import io.syncline.rules.RuleCondition;
import io.syncline.rules.RuleFired;
import io.syncline.rules.RuleHeldException;
import io.syncline.rules.RuleRejectedException;
import io.syncline.state.RecordState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules stage of an apply route: the entity's rules for the route's target, in declared order,
 * on the canonical record and its change. The change's previous values are the record's as
 * Syncline last applied them to the target (its record state there), else as last seen from the
 * source; a record neither has seen has none, and a condition on its change is not met. A rule
 * {@code reject} makes the event a dead letter naming it ({@link RuleRejectedException}); a rule
 * {@code hold} sends it to the review queue for approval ({@link RuleHeldException}) unless a person
 * approved it against that rule ({@link ExchangeContract#RULE_APPROVAL}); a rule {@code alert} notes
 * itself in the audit entry and, once the change is committed, is counted and told through the
 * alerting channels ({@link RuleFired}). A reject met wins over any hold; the holds met are held
 * together, so that one approval lets the change past all of them. A deletion meets no rule.
 *
 * <p>In an apply route: {@code process: {ref: RuleProcessor}}, the first step of the idempotent
 * consumer, where the record states are read and before the target is matched and written.
 */
@ApplicationScoped
@Named("RuleProcessor")
@RegisterForReflection
public class RuleProcessor implements Processor {

    @Inject
    SyncModelRegistry registry;
    @Inject
    SyncMetrics metrics;
    @Inject
    Event<RuleFired> fired;
    @Inject
    RepeatMarks marks;

    @Override
    public void process(Exchange exchange) {
        ApplyEvents.forEachAdmitted(exchange, this::apply);
    }

    private void apply(Exchange exchange) {
        SyncUnit unit = SyncUnit.of(exchange);
        CanonicalRecord record = unit.record();
        if (record.deleted()) {
            return;
        }
        List<Rule> rules = registry.current().rules(unit.entity(), unit.target());
        if (rules.isEmpty()) {
            return;
        }
        @SuppressWarnings("unchecked")
        Collection<String> approved = exchange.getProperty(ExchangeContract.RULE_APPROVAL, List.of(), Collection.class);
        boolean dryRun = DryRunWrite.active(exchange);
        Map<String, Object> previous = previous(unit);
        Map<Rule, RuleCondition.Change> changes = new LinkedHashMap<>();
        Map<String, Object> repeats = new LinkedHashMap<>();
        for (Rule rule : rules) {
            changes.put(rule, new RuleCondition.Change(record.fields(), previous, repeated(unit, rule, dryRun, repeats)));
        }
        RuleCondition.Change change = new RuleCondition.Change(record.fields(), previous);
        // a batch's hold or reject ends the batch, and the event is applied again on its own: counted then
        boolean counts = !unit.batched() && !dryRun;
        List<Rule> met = rules.stream().filter(rule -> rule.condition().test(changes.get(rule))).toList();
        // a reject wins over any hold: no approval could let the change through
        for (Rule rule : met) {
            if (rule.action() == Rule.Action.REJECT) {
                if (counts) {
                    metrics.ruleFired(rule.entity(), rule.name(), rule.action().code(), unit.target());
                }
                throw new RuleRejectedException(record, rule, unit.target());
            }
        }
        List<Rule> holding = met.stream().filter(rule -> rule.action() == Rule.Action.HOLD).toList();
        List<Rule> unapproved = holding.stream().filter(rule -> !approved.contains(rule.name())).toList();
        if (!unapproved.isEmpty()) {
            if (counts) {
                unapproved.forEach(rule -> metrics.ruleFired(rule.entity(), rule.name(), rule.action().code(), unit.target()));
            }
            throw new RuleHeldException(record, unapproved, unit.target(), values(unapproved, change, repeats));
        }
        holding.forEach(rule -> unit.note(rule.describe() + " met, approved in review"));
        for (Rule rule : met) {
            if (rule.action() == Rule.Action.ALERT) {
                unit.note(rule.describe() + " fired: alert");
                RuleFired firing = new RuleFired(rule.entity(), rule.name(), rule.when(), record.sourceSystem(),
                        record.sourceId(), record.canonicalId(), unit.target(), values(List.of(rule), change, repeats));
                unit.onCommitted(() -> {
                    metrics.ruleFired(rule.entity(), rule.name(), rule.action().code(), unit.target());
                    fired.fire(firing);
                });
            }
        }
    }

    /**
     * The {@code same (...) within} conditions of {@code rule} that the record repeats, each looked up
     * (and, outside a dry run, marked with this record) in the unit's transaction; the earlier record of
     * each goes into {@code repeats} under the rule's name, for the review item and the alert.
     */
    private Set<RuleCondition.Same> repeated(SyncUnit unit, Rule rule, boolean dryRun, Map<String, Object> repeats) {
        List<RuleCondition.Same> sames = rule.condition().sames();
        if (sames.isEmpty()) {
            return Set.of();
        }
        CanonicalRecord record = unit.record();
        String key = record.canonicalId() != null ? record.canonicalId() : record.sourceSystem() + ":" + record.sourceId();
        Set<RuleCondition.Same> repeated = new HashSet<>();
        try {
            for (RuleCondition.Same same : sames) {
                Optional<RepeatMarks.Repeat> repeat = marks.check(unit.connection(), rule.entity(), rule.name(), same, key,
                        record.fields(), dryRun);
                repeat.ifPresent(earlier -> {
                    repeated.add(same);
                    repeats.put(rule.name(), Map.of("record", earlier.recordKey(), "at", earlier.at().toString()));
                });
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read or write the repeat marks of rule " + rule.name() + ": " + e.getMessage(),
                    e);
        }
        return repeated;
    }

    /** The record's values as last applied to the target, else as last seen from its source; empty when neither. */
    private static Map<String, Object> previous(SyncUnit unit) {
        return unit.targetState().or(unit::sourceState).map(RecordState::fieldValues).orElse(Map.of());
    }

    /** Each field the rules read, with its previous and new value: what a person or an alert needs to see. */
    private static Map<String, Object> values(List<Rule> rules, RuleCondition.Change change, Map<String, Object> repeats) {
        java.util.Set<String> fields = new java.util.TreeSet<>();
        rules.forEach(rule -> fields.addAll(rule.fields()));
        Map<String, Object> values = new LinkedHashMap<>();
        for (String field : fields) {
            Map<String, Object> pair = new LinkedHashMap<>();
            pair.put("previous", change.previous().get(field));
            pair.put("new", change.current().get(field));
            values.put(field, pair);
        }
        // the earlier record a same (...) condition found, under "repeats" (no field may be called so: a keyword)
        rules.stream().filter(rule -> repeats.containsKey(rule.name())).findFirst()
                .ifPresent(rule -> values.put("repeats", repeats.get(rule.name())));
        return values;
    }
}
