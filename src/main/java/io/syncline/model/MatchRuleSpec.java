package io.syncline.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Map;

/**
 * A match rule as written: {@code idMap}, {@code email}, {@code phone},
 * {@code {externalId: {field: crmId}}} or {@code {fuzzyName: {field: company, threshold: 0.9}}}.
 * Unknown names are kept for the validator to report.
 */
@RegisterForReflection
public record MatchRuleSpec(String rule, String field, Double threshold, Object written) {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static MatchRuleSpec of(Object value) {
        if (value instanceof String rule) {
            return new MatchRuleSpec(rule, null, null, value);
        }
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            var entry = map.entrySet().iterator().next();
            String rule = String.valueOf(entry.getKey());
            if (entry.getValue() instanceof Map<?, ?> options) {
                Object field = options.get("field");
                Object threshold = options.get("threshold");
                return new MatchRuleSpec(rule, field == null ? null : String.valueOf(field),
                        threshold instanceof Number number ? number.doubleValue() : null, value);
            }
            return new MatchRuleSpec(rule, null, null, value);
        }
        return new MatchRuleSpec(null, null, null, value);
    }
}
