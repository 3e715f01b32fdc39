package io.syncline.alerting;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** A condition that started ({@code firing}) or cleared, with the alert's name, labels and summary. */
public record AlertMessage(String alert, Map<String, String> labels, boolean firing, String summary) {

    /** {@code FIRING SynclineSchemaDrift {entity=contact, …}: summary}, or {@code RESOLVED …}. */
    public String subject() {
        String scope = labels.isEmpty() ? "" : labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", " {", "}"));
        return (firing ? "FIRING " : "RESOLVED ") + alert + scope;
    }

    /** The same message naming the replica that tells it, as its label {@code replica}. */
    public AlertMessage on(String replica) {
        Map<String, String> named = new TreeMap<>(labels);
        named.put("replica", replica);
        return new AlertMessage(alert, named, firing, summary);
    }

    public String text() {
        return subject() + ": " + (firing ? summary : "cleared (was: " + summary + ")")
                + "\nRunbook: docs/reference/alerts.md#" + alert.toLowerCase(Locale.ROOT);
    }
}
