package io.syncline.connector.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncline.connector.rest.HttpTargetClient;
import io.syncline.connector.rest.ProviderProbe;
import io.syncline.connector.rest.RestSystemCheck;
import io.syncline.connector.rest.RestTarget;
import io.syncline.connector.spi.SystemCheck;
import io.syncline.model.CanonicalField;
import io.syncline.model.EntityDefinition;
import io.syncline.model.FieldMapping;
import io.syncline.model.SyncModel;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a HubSpot system's check adds: the token proved by reading an object's property
 * definitions ({@code GET /crm/v3/properties/{object}}, the scopes a sync needs), and every
 * property the mappings name (a custom one such as {@code crm_contact_id} included) looked up in
 * its object's definitions, a missing one named with the type to create it with. HubSpot's webhook
 * subscriptions live in the app's settings, which a private app's token cannot read.
 */
final class HubSpotCheck extends ProviderProbe {

    /** HubSpot's object type ids, which the preset addresses some objects by ({@code 0-3}), and their objects' names. */
    private static final Map<String, String> OBJECT_TYPE_IDS = Map.of("0-1", "contacts", "0-2", "companies", "0-3", "deals",
            "0-5", "tickets", "0-7", "products", "0-8", "line_items");

    /** What a mapping names that is the record's id, not a property. */
    private static final Set<String> NOT_PROPERTIES = Set.of("id");

    HubSpotCheck(HttpTargetClient client) {
        super(client);
    }

    @Override
    public URI credentialsCall(RestTarget target) {
        return properties(target);
    }

    @Override
    public String credentialsFix(String system) {
        return "give " + system + " a HubSpot private app access token (auth.token) that HubSpot accepts, with the"
                + " crm.objects.<object>.read and .write and crm.schemas.<object>.read scopes of each object it syncs";
    }

    @Override
    public String webhookNote(String system, Map<String, String> paths) {
        return "HubSpot keeps webhook subscriptions in the app's settings, which a private app token cannot read: make"
                + " sure the app subscribes to the objects' creation and property changes and sends them to " + paths.values();
    }

    @Override
    public List<SystemCheck> objects(SyncModel model, List<RestSystemCheck.Mapped> mapped) {
        Map<String, Map<String, String>> needed = new TreeMap<>();
        Map<String, RestTarget> targets = new TreeMap<>();
        for (RestSystemCheck.Mapped each : mapped) {
            String object = object(each.target());
            targets.putIfAbsent(object, each.target());
            EntityDefinition entity = model.entities().get(each.entity());
            Map<String, String> properties = needed.computeIfAbsent(object, o -> new TreeMap<>());
            for (FieldMapping field : each.mapping().fields()) {
                String path = field.path();
                if (path != null && !path.contains(".") && !NOT_PROPERTIES.contains(path)) {
                    CanonicalField canonical = entity.fields().get(field.field());
                    properties.putIfAbsent(path, type(canonical == null ? null : canonical.type()));
                }
            }
        }
        List<SystemCheck> checks = new ArrayList<>();
        needed.forEach((object, properties) -> {
            String check = "object " + OBJECT_TYPE_IDS.getOrDefault(object, object);
            Set<String> defined;
            try {
                defined = defined(targets.get(object));
            } catch (RuntimeException e) {
                checks.add(SystemCheck.failed(check, e.getMessage(), "give the token the crm.schemas."
                        + OBJECT_TYPE_IDS.getOrDefault(object, object) + ".read scope, or correct the mapping's resource"));
                return;
            }
            int missing = 0;
            for (Map.Entry<String, String> property : properties.entrySet()) {
                if (!defined.contains(property.getKey())) {
                    missing++;
                    checks.add(SystemCheck.failed(check, "HubSpot has no " + singular(object) + " property '" + property.getKey() + "'",
                            "create the HubSpot " + singular(object) + " property '" + property.getKey() + "' (type "
                                    + property.getValue() + "), or correct the mapping's path"));
                }
            }
            if (missing == 0) {
                checks.add(SystemCheck.passed(check, "has the properties the mappings name: " + String.join(", ", properties.keySet())));
            }
        });
        return checks;
    }

    /** The names of the object's properties, as HubSpot defines them for the portal. */
    private Set<String> defined(RestTarget target) {
        JsonNode answer;
        try {
            answer = get(target, properties(target));
        } catch (IOException e) {
            throw new IllegalStateException("HubSpot's property definitions of " + object(target) + " are not JSON: " + e.getMessage(), e);
        }
        if (!answer.isObject()) {
            throw new IllegalStateException("HubSpot's property definitions of " + object(target) + " are not a JSON object");
        }
        Set<String> names = new TreeSet<>();
        JsonNode results = answer.path("results");
        if (results.isArray()) {
            for (JsonNode property : results) {
                if (property.hasNonNull("name")) {
                    names.add(property.get("name").asText());
                }
            }
        }
        return names;
    }

    private static URI properties(RestTarget target) {
        return target.at("/crm/v3/properties/" + object(target));
    }

    /** The object a target's collection is of: {@code contacts} of {@code /crm/v3/objects/contacts}. */
    static String object(RestTarget target) {
        String resource = target.resource();
        return resource.substring(resource.lastIndexOf('/') + 1);
    }

    private static String singular(String object) {
        object = OBJECT_TYPE_IDS.getOrDefault(object, object);
        return object.endsWith("ies") ? object.substring(0, object.length() - 3) + "y"
                : object.endsWith("s") ? object.substring(0, object.length() - 1) : object;
    }

    /** HubSpot's property type for a canonical field's. */
    private static String type(CanonicalField.Type type) {
        if (type == null) {
            return "string";
        }
        return switch (type) {
            case INTEGER, DECIMAL -> "number";
            case BOOLEAN -> "bool";
            case DATE -> "date";
            case TIMESTAMP -> "datetime";
            default -> "string";
        };
    }

}
