package io.syncline.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks one manifest against the Kubernetes API schema, as the official Java client's generated
 * models encode it: an unknown field (a typo) or a missing required field is rejected, naming it.
 *
 * <p>The models accept a YAML boolean or number where the API wants a string (gson converts it);
 * the API server does not, so label, annotation and env values are checked to be strings here.
 */
final class KubernetesSchema {

    /** The kinds Syncline ships, by "apiVersion/kind"; anything else is a mistake in k8s/. */
    private static final Map<String, ModelReader> MODELS = Map.of(
            "apps/v1/Deployment", V1Deployment::fromJson,
            "v1/Service", V1Service::fromJson,
            "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget::fromJson);

    private static final Set<String> STRING_MAPS = Set.of("labels", "annotations", "matchLabels");

    private KubernetesSchema() {
    }

    /** The typed model of {@code manifest}; throws naming the first schema violation. */
    static Object validate(JsonNode manifest) throws IOException {
        String type = manifest.path("apiVersion").asText() + "/" + manifest.path("kind").asText();
        ModelReader reader = MODELS.get(type);
        if (reader == null) {
            throw new IllegalArgumentException("No schema for " + type + "; known: " + MODELS.keySet());
        }
        List<String> notStrings = new ArrayList<>();
        collectNonStringValues(manifest, "", notStrings);
        if (!notStrings.isEmpty()) {
            throw new IllegalArgumentException("Kubernetes expects strings here; quote them in YAML: " + notStrings);
        }
        return reader.read(manifest.toString());
    }

    private static void collectNonStringValues(JsonNode node, String path, List<String> found) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectNonStringValues(node.get(i), path + "[" + i + "]", found);
            }
            return;
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String fieldPath = path + "." + field.getKey();
            JsonNode value = field.getValue();
            if (STRING_MAPS.contains(field.getKey()) && value.isObject()) {
                value.properties().stream()
                        .filter(entry -> !entry.getValue().isTextual())
                        .forEach(entry -> found.add(fieldPath + "." + entry.getKey()));
            } else if (field.getKey().equals("env") && value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    JsonNode literal = value.get(i).get("value");
                    if (literal != null && !literal.isTextual()) {
                        found.add(fieldPath + "[" + i + "].value");
                    }
                }
            } else {
                collectNonStringValues(value, fieldPath, found);
            }
        }
    }

    @FunctionalInterface
    private interface ModelReader {
        Object read(String json) throws IOException;
    }
}
