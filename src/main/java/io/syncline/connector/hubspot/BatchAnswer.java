package io.syncline.connector.hubspot;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HubSpot's answer to a batch call, record by record: the ids in {@code results[]} were written
 * (a created record also by the {@code objectWriteTraceId} its input carried); each entry of
 * {@code errors[]} (a 207 Multi-Status) names the records it refused in {@code context.ids} or
 * {@code context.objectWriteTraceId}, with its {@code message} and {@code category}.
 *
 * @param created  new id by the trace id of its input
 * @param refusals by id, or by trace id
 */
record BatchAnswer(Set<String> written, Map<String, String> created, Map<String, Refusal> refusals) {

    /** @param transientFailure a refusal worth sending again (HubSpot's rate limit, its own failure) */
    record Refusal(String message, int status, boolean transientFailure) {
    }

    static BatchAnswer of(Map<String, Object> body, int httpStatus) {
        Set<String> written = new HashSet<>();
        Map<String, String> created = new HashMap<>();
        if (body.get("results") instanceof List<?> results) {
            for (Object result : results) {
                if (result instanceof Map<?, ?> record && record.get("id") != null) {
                    written.add(String.valueOf(record.get("id")));
                    if (record.get("objectWriteTraceId") != null) {
                        created.put(String.valueOf(record.get("objectWriteTraceId")), String.valueOf(record.get("id")));
                    }
                }
            }
        }
        Map<String, Refusal> refusals = new HashMap<>();
        if (body.get("errors") instanceof List<?> errors) {
            for (Object each : errors) {
                if (each instanceof Map<?, ?> error && error.get("context") instanceof Map<?, ?> context) {
                    List<Object> ids = new java.util.ArrayList<>();
                    for (String member : List.of("ids", "objectWriteTraceId")) {
                        if (context.get(member) instanceof List<?> named) {
                            ids.addAll(named);
                        }
                    }
                    String category = String.valueOf(error.get("category"));
                    int status = status(error.get("status"), httpStatus);
                    boolean transientFailure = status == 429 || status >= 500 || category.startsWith("RATE_LIMIT");
                    String message = error.get("message") + " (" + category + ")";
                    ids.forEach(id -> refusals.put(String.valueOf(id), new Refusal(message, status, transientFailure)));
                }
            }
        }
        return new BatchAnswer(written, created, refusals);
    }

    /** An error's own status where it gives a number; else 400, a refusal of the input. */
    private static int status(Object status, int httpStatus) {
        if (status != null && String.valueOf(status).matches("\\d{3}")) {
            return Integer.parseInt(String.valueOf(status));
        }
        return httpStatus / 100 == 2 ? 400 : httpStatus;
    }
}
