package io.syncline.rules;

import java.util.Map;

/**
 * A rule {@code alert} fired on a change that was then applied: a CDI event, fired once the change
 * is committed, that the alerting channels tell ({@code io.syncline.alerting.AlertNotifier}).
 *
 * @param values the fields the condition read, each with its previous and new value
 */
public record RuleFired(String entity, String rule, String when, String sourceSystem, String sourceId, String canonicalId,
        String targetSystem, Map<String, Object> values) {
}
