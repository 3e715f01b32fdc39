package io.syncline.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Connector presets: what a provider fixes for every connection to it (base URL, auth type,
 * pagination and its limits, rate limit, webhook signature and events, where its objects live),
 * as data in the resource {@code presets/<type>.yaml}. A system of that type ({@code type: hubspot})
 * has its own settings laid over the preset's, key by key, so that it
 * names only what is its own (its token, its webhook secret; a test's base URL); a setting whose
 * members only make sense together ({@link #WHOLE}: a rate and its burst) is replaced whole. Its type's
 * connector then serves it with the REST code and the plug-ins the provider needs.
 */
public final class SystemPresets {

    private static final String LOCATION = "presets/";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Map<String, Optional<ObjectNode>> PRESETS = new ConcurrentHashMap<>();
    /**
     * The settings a system's own value replaces whole rather than member by member: a rate limit's
     * burst belongs to its rate, and a system that says {@code rateLimit: {requestsPerSecond: 4}}
     * means four a second, evenly spaced, not four a second in bursts of the preset's ten.
     */
    static final Set<String> WHOLE = Set.of("rateLimit");

    private SystemPresets() {
    }

    /** The preset of {@code type}; empty when the type has none. */
    public static Optional<ObjectNode> of(String type) {
        if (type == null || !NAME.matcher(type).matches()) {
            return Optional.empty();
        }
        return PRESETS.computeIfAbsent(type, SystemPresets::load).map(ObjectNode::deepCopy);
    }

    /**
     * The system {@code system} of a preset's type with the settings it is served by: the preset's, with
     * the system's own laid over them (objects merged member by member, except the {@link #WHOLE}
     * settings; anything else replaced), and {@code preset} naming its type;
     * the system itself when its type has no preset.
     */
    public static JsonNode apply(JsonNode system) {
        if (!(system instanceof ObjectNode own) || !own.path("type").isTextual()) {
            return system;
        }
        String type = own.get("type").asText();
        Optional<ObjectNode> preset = of(type);
        if (preset.isEmpty()) {
            return system;
        }
        ObjectNode merged = preset.get();
        WHOLE.stream().filter(own::has).forEach(merged::remove);
        lay(own, merged);
        merged.put("preset", type);
        return merged;
    }

    private static void lay(ObjectNode over, ObjectNode under) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = over.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode below = under.get(field.getKey());
            if (field.getValue() instanceof ObjectNode object && below instanceof ObjectNode belowObject) {
                lay(object, belowObject);
            } else {
                under.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }

    private static Optional<ObjectNode> load(String type) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = (loader == null ? SystemPresets.class.getClassLoader() : loader)
                .getResourceAsStream(LOCATION + type + ".yaml")) {
            if (in == null) {
                return Optional.empty();
            }
            JsonNode preset = YAML.readTree(in);
            if (!(preset instanceof ObjectNode object)) {
                throw new IllegalStateException("Preset " + LOCATION + type + ".yaml is not a mapping of settings");
            }
            return Optional.of(object);
        } catch (IOException e) {
            throw new UncheckedIOException("Preset " + LOCATION + type + ".yaml cannot be read", e);
        }
    }
}
