package io.syncline.connector.hubspot;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HubSpot's answer to a batch call, record by record: the ids in {@code results[]} were written;
 * each entry of {@code errors[]} (a 207 Multi-Status) names the ids it refused in
 * {@code context.ids}, with its {@code message} and {@code category}.
 */
record BatchAnswer(Set<String> written, Map<String, Refusal> refusals) {

    /** @param transientFailure a refusal worth sending again (HubSpot's rate limit, its own failure) */
    record Refusal(String message, int status, boolean transientFailure) {
    }

    static BatchAnswer of(Map<String, Object> body, int httpStatus) {
        Set<String> written = new HashSet<>();
        if (body.get("results") instanceof List<?> results) {
            for (Object result : results) {
                if (result instanceof Map<?, ?> record && record.get("id") != null) {
                    written.add(String.valueOf(record.get("id")));
                }
            }
        }
        Map<String, Refusal> refusals = new HashMap<>();
        if (body.get("errors") instanceof List<?> errors) {
            for (Object each : errors) {
                if (each instanceof Map<?, ?> error && error.get("context") instanceof Map<?, ?> context
                        && context.get("ids") instanceof List<?> ids) {
                    String category = String.valueOf(error.get("category"));
                    int status = status(error.get("status"), httpStatus);
                    boolean transientFailure = status == 429 || status >= 500 || category.startsWith("RATE_LIMIT");
                    String message = error.get("message") + " (" + category + ")";
                    ids.forEach(id -> refusals.put(String.valueOf(id), new Refusal(message, status, transientFailure)));
                }
            }
        }
        return new BatchAnswer(written, refusals);
    }

    /** An error's own status where it gives a number; else 400, a refusal of the input. */
    private static int status(Object status, int httpStatus) {
        if (status != null && String.valueOf(status).matches("\\d{3}")) {
            return Integer.parseInt(String.valueOf(status));
        }
        return httpStatus / 100 == 2 ? 400 : httpStatus;
    }
}
