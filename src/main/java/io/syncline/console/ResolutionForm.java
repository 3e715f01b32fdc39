package io.syncline.console;

import io.vertx.ext.web.RoutingContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns the console's resolution form into the body {@code POST /admin/review-items/{id}/resolve}
 * takes, so that the resolver checks it exactly as it checks an API client's.
 */
final class ResolutionForm {

    private static final String TAKE = "take.";
    private static final String VALUE = "value.";

    private ResolutionForm() {
    }

    static Map<String, Object> body(String kind, RoutingContext rc) {
        Map<String, Object> body = new LinkedHashMap<>();
        if ("ambiguous_match".equals(kind)) {
            String candidate = ConsoleForms.param(rc, "candidate");
            if ("new".equals(candidate)) {
                body.put("createNew", true);
            } else if (candidate != null) {
                body.put("candidate", candidate.startsWith("id:") ? candidate.substring(3) : candidate);
            }
            return body;
        }
        if ("held_by_rule".equals(kind)) {
            if ("true".equals(ConsoleForms.param(rc, "approve"))) {
                body.put("approve", true);
            }
            return body;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        rc.request().formAttributes().names().stream().sorted().forEach(name -> {
            if (name.startsWith(TAKE)) {
                String field = name.substring(TAKE.length());
                String take = ConsoleForms.param(rc, name);
                if ("custom".equals(take)) {
                    String value = rc.request().getFormAttribute(VALUE + field);
                    fields.put(field, Map.of("value", value == null ? "" : value));
                } else if (take != null) {
                    fields.put(field, take);
                }
            } else if (name.startsWith(VALUE) && "held_record".equals(kind)) {
                String value = rc.request().getFormAttribute(name);
                fields.put(name.substring(VALUE.length()), Map.of("value", value == null ? "" : value));
            }
        });
        body.put("fields", fields);
        return body;
    }
}
