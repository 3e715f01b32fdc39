package io.syncline.sync;

import io.syncline.audit.AuditEntry.FieldDecision;
import io.syncline.conflict.ConflictResolver;
import io.syncline.conflict.FieldConflict;
import io.syncline.conflict.ReviewDecision;
import io.syncline.conflict.ReviewResolution;
import io.syncline.exchange.ExchangeContract;
import org.apache.camel.Exchange;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How each field a write changes got its value, for the audit entry: a person's decision on a
 * review item (a conflict's side or value, a held field's value), a conflict strategy's, a
 * re-sync of the master's value, or the source's change as it came.
 */
final class FieldDecisions {

    private FieldDecisions() {
    }

    static Map<String, FieldDecision> of(SyncUnit unit, Exchange exchange) {
        if (unit.diff() == null || unit.diff().isEmpty()) {
            return null;
        }
        ReviewResolution resolution = exchange.getProperty(ExchangeContract.REVIEW_RESOLUTION, ReviewResolution.class);
        Map<?, ?> supplied = exchange.getProperty(ExchangeContract.SUPPLIED_VALUES, Map.class);
        Map<String, FieldConflict> conflicts = new LinkedHashMap<>();
        unit.conflicts().forEach(conflict -> conflicts.put(conflict.field(), conflict));
        Map<String, FieldDecision> decisions = new LinkedHashMap<>();
        for (String field : unit.diff().keySet()) {
            String source = unit.valueSources().getOrDefault(field, unit.record().sourceSystem());
            ReviewDecision decided = resolution == null ? null : resolution.decisions().get(field);
            FieldConflict conflict = conflicts.get(field);
            FieldDecision decision;
            if (decided != null) {
                decision = new FieldDecision(source, FieldDecision.REVIEW, null, null, decided.take().name().toLowerCase(Locale.ROOT));
            } else if (supplied != null && supplied.containsKey(field)) {
                decision = new FieldDecision(ConflictResolver.CUSTOM_VALUE, FieldDecision.REVIEW, null, null, "custom");
            } else if (conflict != null) {
                decision = new FieldDecision(source, FieldDecision.STRATEGY, conflict.strategy(), conflict.winner(), null);
            } else {
                decision = new FieldDecision(source, unit.resync() ? FieldDecision.RESYNC : FieldDecision.CHANGE, null, null, null);
            }
            decisions.put(field, decision);
        }
        return decisions;
    }
}
