package io.syncline.connector.hubspot;

import io.syncline.connector.rest.HttpTargetClient;
import io.syncline.connector.rest.RestTarget;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * An updated record's associations made what its mapped row says, through HubSpot's v4
 * associations API (an update's {@code PATCH} carries properties only): for each association
 * field, the record's current associations to that object are read
 * ({@code GET /crm/v4/objects/{object}/{id}/associations/{toObject}}, page by page), each id the
 * row names and the record lacks (or lacks with the type written) is associated
 * ({@code PUT …/associations/{toObject}/{toId}} with the type), and then each id it no longer names
 * is removed ({@code DELETE …/associations/{toObject}/{toId}}): added before removed, so a contact
 * moved to another company is never without one in between. Nothing is written where they agree.
 */
final class AssociationWrites {

    private final HttpTargetClient client;
    private final RestTarget target;
    private final BiFunction<String, HttpResponse<String>, Map<String, Object>> answer;

    /** @param answer an answer's body as a JSON object, a refusal naming the call where it is none */
    AssociationWrites(HttpTargetClient client, RestTarget target, BiFunction<String, HttpResponse<String>, Map<String, Object>> answer) {
        this.client = client;
        this.target = target;
        this.answer = answer;
    }

    /** The record {@code id}'s associations made the row's; @return the calls that changed any, for the audit */
    List<String> write(Associations associations, String id, Map<String, Object> row) {
        List<String> changed = new ArrayList<>();
        for (Associations.Field field : associations.fields()) {
            String base = target.definition().baseUrl().replaceAll("/+$", "") + "/crm/v4/objects/" + segment(associations.from()) + "/"
                    + segment(id) + "/associations/" + segment(field.object());
            Set<String> wanted = Associations.ids(row, field);
            Map<String, List<Integer>> current = current(base);
            int typeId = associations.typeId(field);
            for (String to : wanted) {
                if (!current.getOrDefault(to, List.of()).contains(typeId)) {
                    client.call(target, "PUT", URI.create(base + "/" + segment(to)), associations.types(field), status -> false);
                    changed.add("associated " + field.object() + " " + to);
                }
            }
            for (String to : current.keySet()) {
                if (!wanted.contains(to)) {
                    client.call(target, "DELETE", URI.create(base + "/" + segment(to)), null, status -> status == 404);
                    changed.add("removed " + field.object() + " " + to);
                }
            }
        }
        return changed;
    }

    /** The record's associations to one object: each associated id with its type ids, every page read. */
    private Map<String, List<Integer>> current(String base) {
        Map<String, List<Integer>> current = new LinkedHashMap<>();
        String after = null;
        do {
            URI uri = URI.create(base + "?limit=500" + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8)));
            Map<String, Object> page = answer.apply("GET " + uri.getRawPath(), client.call(target, "GET", uri, null, status -> false));
            if (page.get("results") instanceof List<?> results) {
                for (Object result : results) {
                    if (result instanceof Map<?, ?> associated && associated.get("toObjectId") != null) {
                        List<Integer> types = current.computeIfAbsent(associated.get("toObjectId").toString(), key -> new ArrayList<>());
                        if (associated.get("associationTypes") instanceof List<?> each) {
                            each.stream().filter(Map.class::isInstance).map(type -> ((Map<?, ?>) type).get("typeId"))
                                    .filter(Number.class::isInstance).forEach(type -> types.add(((Number) type).intValue()));
                        }
                    }
                }
            }
            after = page.get("paging") instanceof Map<?, ?> paging && paging.get("next") instanceof Map<?, ?> next
                    && next.get("after") != null ? next.get("after").toString() : null;
        } while (after != null);
        return current;
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
