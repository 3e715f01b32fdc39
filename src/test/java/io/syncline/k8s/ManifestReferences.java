package io.syncline.k8s;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Checks the references between the objects of one rendered overlay, which the API server accepts
 * one by one but which leave a pod that never starts or an object that selects nothing: a
 * volumeMount naming no volume, a Secret or ConfigMap that no manifest provides and that is not a
 * documented prerequisite, a ConfigMap key it does not hold, a Service, PodDisruptionBudget,
 * NetworkPolicy or ServiceMonitor selecting no pod or Service, an HPA scaling or reading an object
 * that does not exist, a port name no container or Service has.
 */
final class ManifestReferences {

    private final List<JsonNode> objects;
    private final Set<String> prerequisiteSecrets;
    private final List<String> problems = new ArrayList<>();

    private ManifestReferences(List<JsonNode> objects, Set<String> prerequisiteSecrets) {
        this.objects = objects;
        this.prerequisiteSecrets = prerequisiteSecrets;
    }

    /**
     * Every dangling reference in {@code objects}, each naming the object and what it refers to;
     * Secrets named in {@code prerequisiteSecrets} are created beforehand (docs/deployment.md).
     */
    static List<String> problems(List<JsonNode> objects, Set<String> prerequisiteSecrets) {
        ManifestReferences references = new ManifestReferences(objects, prerequisiteSecrets);
        references.objects.forEach(references::check);
        return List.copyOf(references.problems);
    }

    private void check(JsonNode object) {
        switch (object.path("kind").asText()) {
            case "Deployment" -> checkDeployment(object);
            case "Service" -> checkService(object);
            case "PodDisruptionBudget" -> requirePods(object, object.at("/spec/selector"), "selector");
            case "NetworkPolicy" -> requirePods(object, object.at("/spec/podSelector"), "podSelector");
            case "HorizontalPodAutoscaler" -> checkAutoscaler(object);
            case "Ingress" -> checkIngress(object);
            case "ServiceMonitor" -> checkServiceMonitor(object);
            default -> {
            }
        }
    }

    private void checkDeployment(JsonNode deployment) {
        JsonNode template = deployment.at("/spec/template");
        if (!selects(deployment.at("/spec/selector"), template.at("/metadata/labels"))) {
            problem(deployment, "spec.selector does not match its own pod template's labels");
        }
        JsonNode pod = template.path("spec");
        Set<String> volumes = names(pod.path("volumes"));
        for (JsonNode container : containers(pod)) {
            String where = "container " + container.path("name").asText();
            for (JsonNode mount : container.path("volumeMounts")) {
                if (!volumes.contains(mount.path("name").asText())) {
                    problem(deployment, where + " mounts volume `" + mount.path("name").asText()
                            + "`, which the pod does not define");
                }
            }
            for (JsonNode source : container.path("envFrom")) {
                requireSecret(deployment, where + " envFrom", source.path("secretRef"));
                requireConfigMap(deployment, where + " envFrom", source.path("configMapRef"));
            }
            for (JsonNode env : container.path("env")) {
                String variable = where + " env " + env.path("name").asText();
                requireSecret(deployment, variable, env.at("/valueFrom/secretKeyRef"));
                requireConfigMap(deployment, variable, env.at("/valueFrom/configMapKeyRef"));
            }
            Set<String> ports = names(container.path("ports"));
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                JsonNode port = container.path(probe).at("/httpGet/port");
                if (port.isTextual() && !ports.contains(port.asText())) {
                    problem(deployment, where + " " + probe + " uses port `" + port.asText()
                            + "`, which the container does not name");
                }
            }
        }
        for (JsonNode volume : pod.path("volumes")) {
            String where = "volume " + volume.path("name").asText();
            if (volume.has("configMap")) {
                requireConfigMap(deployment, where, volume.path("configMap"));
            }
            if (volume.has("secret")) {
                JsonNode secret = volume.path("secret");
                if (!secret.path("optional").asBoolean(false)
                        && !provides("Secret", secret.path("secretName").asText(), deployment)
                        && !prerequisiteSecrets.contains(secret.path("secretName").asText())) {
                    problem(deployment, where + " references Secret `" + secret.path("secretName").asText()
                            + "`, which no manifest provides and no prerequisite lists");
                }
            }
        }
    }

    private void checkService(JsonNode service) {
        List<JsonNode> pods = podTemplates(service, template -> selects(service.at("/spec/selector"), template));
        if (pods.isEmpty()) {
            problem(service, "spec.selector " + service.at("/spec/selector") + " matches no pod template");
            return;
        }
        Set<String> containerPorts = new java.util.HashSet<>();
        pods.forEach(pod -> containers(pod.path("spec")).forEach(container -> containerPorts.addAll(names(container.path("ports")))));
        for (JsonNode port : service.at("/spec/ports")) {
            JsonNode target = port.path("targetPort");
            if (target.isTextual() && !containerPorts.contains(target.asText())) {
                problem(service, "port " + port.path("name").asText() + " targets port `" + target.asText()
                        + "`, which no selected container names");
            }
        }
    }

    private void checkAutoscaler(JsonNode autoscaler) {
        JsonNode target = autoscaler.at("/spec/scaleTargetRef");
        if (find(target.path("kind").asText(), target.path("name").asText(), autoscaler) == null) {
            problem(autoscaler, "scaleTargetRef names " + target.path("kind").asText() + " `"
                    + target.path("name").asText() + "`, which no manifest provides");
        }
        for (JsonNode metric : autoscaler.at("/spec/metrics")) {
            JsonNode described = metric.at("/object/describedObject");
            if (!described.isMissingNode()
                    && find(described.path("kind").asText(), described.path("name").asText(), autoscaler) == null) {
                problem(autoscaler, "metric " + metric.at("/object/metric/name").asText() + " is read on "
                        + described.path("kind").asText() + " `" + described.path("name").asText()
                        + "`, which no manifest provides");
            }
        }
    }

    private void checkIngress(JsonNode ingress) {
        for (JsonNode tls : ingress.at("/spec/tls")) {
            String secret = tls.path("secretName").asText();
            if (!provides("Secret", secret, ingress) && !prerequisiteSecrets.contains(secret)) {
                problem(ingress, "TLS references Secret `" + secret + "`, which no manifest provides and no prerequisite lists");
            }
        }
        for (JsonNode rule : ingress.at("/spec/rules")) {
            for (JsonNode path : rule.at("/http/paths")) {
                JsonNode backend = path.at("/backend/service");
                JsonNode service = find("Service", backend.path("name").asText(), ingress);
                if (service == null) {
                    problem(ingress, "path " + path.path("path").asText() + " goes to Service `"
                            + backend.path("name").asText() + "`, which no manifest provides");
                } else if (!servicePort(service, backend.path("port"))) {
                    problem(ingress, "path " + path.path("path").asText() + " goes to port "
                            + backend.path("port") + ", which Service " + backend.path("name").asText() + " does not have");
                }
            }
        }
    }

    private void checkServiceMonitor(JsonNode monitor) {
        List<JsonNode> services = objects.stream()
                .filter(object -> object.path("kind").asText().equals("Service"))
                .filter(service -> sameNamespace(service, monitor))
                .filter(service -> selects(monitor.at("/spec/selector"), service.at("/metadata/labels")))
                .toList();
        if (services.isEmpty()) {
            problem(monitor, "spec.selector " + monitor.at("/spec/selector") + " matches no Service");
            return;
        }
        for (JsonNode endpoint : monitor.at("/spec/endpoints")) {
            String port = endpoint.path("port").asText();
            if (endpoint.has("port") && services.stream().noneMatch(service -> names(service.at("/spec/ports")).contains(port))) {
                problem(monitor, "endpoint port `" + port + "` is not a port name of the selected Services");
            }
        }
    }

    private void requirePods(JsonNode object, JsonNode selector, String field) {
        if (podTemplates(object, template -> selects(selector, template)).isEmpty()) {
            problem(object, "spec." + field + " " + selector + " matches no pod template");
        }
    }

    private void requireSecret(JsonNode object, String where, JsonNode reference) {
        if (reference.isMissingNode() || reference.path("optional").asBoolean(false)) {
            return;
        }
        String name = reference.path("name").asText();
        if (!provides("Secret", name, object) && !prerequisiteSecrets.contains(name)) {
            problem(object, where + " references Secret `" + name + "`, which no manifest provides and no prerequisite lists");
        }
    }

    private void requireConfigMap(JsonNode object, String where, JsonNode reference) {
        if (reference.isMissingNode() || reference.path("optional").asBoolean(false)) {
            return;
        }
        String name = reference.path("name").asText();
        JsonNode configMap = find("ConfigMap", name, object);
        if (configMap == null) {
            problem(object, where + " references ConfigMap `" + name + "`, which no manifest provides");
        } else if (reference.has("key") && !configMap.path("data").has(reference.path("key").asText())
                && !configMap.path("binaryData").has(reference.path("key").asText())) {
            problem(object, where + " references key `" + reference.path("key").asText() + "` of ConfigMap `" + name
                    + "`, which it does not hold");
        }
    }

    /** The pod templates (of Deployments in the same namespace) whose labels {@code matches} accepts. */
    private List<JsonNode> podTemplates(JsonNode object, Predicate<JsonNode> matches) {
        return objects.stream()
                .filter(candidate -> candidate.path("kind").asText().equals("Deployment"))
                .filter(deployment -> sameNamespace(deployment, object))
                .map(deployment -> deployment.at("/spec/template"))
                .filter(template -> matches.test(template.at("/metadata/labels")))
                .toList();
    }

    /** Whether a label selector (matchLabels / matchExpressions, or a Service's plain map) selects {@code labels}. */
    static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isNull()) {
            return false;
        }
        Map<String, String> matchLabels = new HashMap<>();
        JsonNode plain = selector.has("matchLabels") || selector.has("matchExpressions")
                ? selector.path("matchLabels") : selector;
        plain.properties().forEach(entry -> matchLabels.put(entry.getKey(), entry.getValue().asText()));
        for (Map.Entry<String, String> entry : matchLabels.entrySet()) {
            if (!entry.getValue().equals(labels.path(entry.getKey()).asText(null))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String value = labels.path(expression.path("key").asText()).asText(null);
            List<String> values = new ArrayList<>();
            expression.path("values").forEach(item -> values.add(item.asText()));
            boolean ok = switch (expression.path("operator").asText()) {
                case "In" -> values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private boolean provides(String kind, String name, JsonNode from) {
        return find(kind, name, from) != null;
    }

    private JsonNode find(String kind, String name, JsonNode from) {
        return objects.stream()
                .filter(object -> object.path("kind").asText().equals(kind))
                .filter(object -> object.at("/metadata/name").asText().equals(name))
                .filter(object -> sameNamespace(object, from))
                .findFirst().orElse(null);
    }

    private static boolean servicePort(JsonNode service, JsonNode port) {
        for (JsonNode candidate : service.at("/spec/ports")) {
            if (port.has("name") && candidate.path("name").asText().equals(port.path("name").asText())
                    || port.has("number") && candidate.path("port").asInt() == port.path("number").asInt()) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameNamespace(JsonNode one, JsonNode other) {
        return one.at("/metadata/namespace").asText("").equals(other.at("/metadata/namespace").asText(""));
    }

    private static List<JsonNode> containers(JsonNode pod) {
        List<JsonNode> containers = new ArrayList<>();
        pod.path("initContainers").forEach(containers::add);
        pod.path("containers").forEach(containers::add);
        return containers;
    }

    private static Set<String> names(JsonNode list) {
        Set<String> names = new java.util.HashSet<>();
        list.forEach(item -> names.add(item.path("name").asText()));
        return names;
    }

    private void problem(JsonNode object, String text) {
        problems.add(object.path("kind").asText() + " " + object.at("/metadata/name").asText() + ": " + text);
    }
}
