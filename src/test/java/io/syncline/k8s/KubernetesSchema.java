package io.syncline.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.annotations.SerializedName;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import static java.util.Map.entry;

/**
 * Checks one manifest as the API server's schema validation would, walking the JSON along the
 * official Java client's generated models (field names from their {@code @SerializedName}, types
 * from their declarations, required fields from {@code openapiRequiredFields}): an unknown field, a
 * value of the wrong JSON type (a number where the API wants a string, a string for an integer:
 * gson would convert both), a missing required field, a value outside the API's enum or a number
 * outside its range is rejected, naming the kind, the object and the path.
 *
 * <p>The models declare enums and ranges as plain strings and integers, so those come from the API
 * reference here, for the fields Syncline's manifests use and their near neighbours.
 */
final class KubernetesSchema {

    /** The kinds Syncline ships, by "apiVersion/kind"; anything else is a mistake in k8s/. */
    static final Map<String, Class<?>> MODELS = Map.of(
            "apps/v1/Deployment", V1Deployment.class,
            "v1/Service", V1Service.class,
            "v1/ConfigMap", V1ConfigMap.class,
            "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class,
            "networking.k8s.io/v1/Ingress", V1Ingress.class,
            "networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class,
            "monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitorSchema.ServiceMonitor.class,
            "monitoring.coreos.com/v1/PrometheusRule", PrometheusRuleSchema.PrometheusRule.class);

    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");

    /** Allowed values by "ModelClass.jsonField" (for a list of strings: of each element). */
    private static final Map<String, Set<String>> ENUMS = Map.ofEntries(
            entry("V1Container.imagePullPolicy", Set.of("Always", "IfNotPresent", "Never")),
            entry("V1Container.terminationMessagePolicy", Set.of("File", "FallbackToLogsOnError")),
            entry("V1ContainerPort.protocol", PROTOCOLS),
            entry("V1ServicePort.protocol", PROTOCOLS),
            entry("V1NetworkPolicyPort.protocol", PROTOCOLS),
            entry("V1PodSpec.restartPolicy", Set.of("Always", "OnFailure", "Never")),
            entry("V1PodSpec.dnsPolicy", Set.of("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None")),
            entry("V1PodSpec.preemptionPolicy", Set.of("PreemptLowerPriority", "Never")),
            entry("V1ServiceSpec.type", Set.of("ClusterIP", "NodePort", "LoadBalancer", "ExternalName")),
            entry("V1ServiceSpec.sessionAffinity", Set.of("ClientIP", "None")),
            entry("V1ServiceSpec.externalTrafficPolicy", Set.of("Cluster", "Local")),
            entry("V1ServiceSpec.internalTrafficPolicy", Set.of("Cluster", "Local")),
            entry("V1HTTPIngressPath.pathType", Set.of("Exact", "Prefix", "ImplementationSpecific")),
            entry("V1DeploymentStrategy.type", Set.of("Recreate", "RollingUpdate")),
            entry("V1TopologySpreadConstraint.whenUnsatisfiable", Set.of("DoNotSchedule", "ScheduleAnyway")),
            entry("V1TopologySpreadConstraint.nodeAffinityPolicy", Set.of("Honor", "Ignore")),
            entry("V1TopologySpreadConstraint.nodeTaintsPolicy", Set.of("Honor", "Ignore")),
            entry("V1SeccompProfile.type", Set.of("Localhost", "RuntimeDefault", "Unconfined")),
            entry("V1HTTPGetAction.scheme", Set.of("HTTP", "HTTPS")),
            entry("V1LabelSelectorRequirement.operator", Set.of("In", "NotIn", "Exists", "DoesNotExist")),
            entry("V1NetworkPolicySpec.policyTypes", Set.of("Ingress", "Egress")),
            entry("V1PodDisruptionBudgetSpec.unhealthyPodEvictionPolicy", Set.of("IfHealthyBudget", "AlwaysAllow")),
            entry("V2MetricSpec.type", Set.of("ContainerResource", "External", "Object", "Pods", "Resource")),
            entry("V2MetricTarget.type", Set.of("AverageValue", "Utilization", "Value")),
            entry("V2HPAScalingRules.selectPolicy", Set.of("Max", "Min", "Disabled")),
            entry("V2HPAScalingPolicy.type", Set.of("Pods", "Percent")),
            entry("Endpoint.scheme", Set.of("http", "https")));

    private record Range(long min, long max) {

        static Range atLeast(long min) {
            return new Range(min, Long.MAX_VALUE);
        }
    }

    private static final Range PORT = new Range(1, 65535);

    /** Allowed integers by "ModelClass.jsonField" (for an int-or-string: when it is an integer). */
    private static final Map<String, Range> RANGES = Map.ofEntries(
            entry("V1DeploymentSpec.replicas", Range.atLeast(0)),
            entry("V1DeploymentSpec.minReadySeconds", Range.atLeast(0)),
            entry("V1DeploymentSpec.revisionHistoryLimit", Range.atLeast(0)),
            entry("V1DeploymentSpec.progressDeadlineSeconds", Range.atLeast(1)),
            entry("V1RollingUpdateDeployment.maxSurge", Range.atLeast(0)),
            entry("V1RollingUpdateDeployment.maxUnavailable", Range.atLeast(0)),
            entry("V1ContainerPort.containerPort", PORT),
            entry("V1ContainerPort.hostPort", PORT),
            entry("V1ServicePort.port", PORT),
            entry("V1ServicePort.nodePort", PORT),
            entry("V1ServicePort.targetPort", PORT),
            entry("V1HTTPGetAction.port", PORT),
            entry("V1TCPSocketAction.port", PORT),
            entry("V1GRPCAction.port", PORT),
            entry("V1ServiceBackendPort.number", PORT),
            entry("V1NetworkPolicyPort.port", PORT),
            entry("V1NetworkPolicyPort.endPort", PORT),
            entry("V1Probe.initialDelaySeconds", Range.atLeast(0)),
            entry("V1Probe.periodSeconds", Range.atLeast(1)),
            entry("V1Probe.timeoutSeconds", Range.atLeast(1)),
            entry("V1Probe.successThreshold", Range.atLeast(1)),
            entry("V1Probe.failureThreshold", Range.atLeast(1)),
            entry("V1Probe.terminationGracePeriodSeconds", Range.atLeast(1)),
            entry("V1PodSpec.terminationGracePeriodSeconds", Range.atLeast(0)),
            entry("V1PodSpec.activeDeadlineSeconds", Range.atLeast(1)),
            entry("V1SleepAction.seconds", Range.atLeast(0)),
            entry("V1PodSecurityContext.runAsUser", Range.atLeast(0)),
            entry("V1PodSecurityContext.runAsGroup", Range.atLeast(0)),
            entry("V1PodSecurityContext.fsGroup", Range.atLeast(0)),
            entry("V1SecurityContext.runAsUser", Range.atLeast(0)),
            entry("V1SecurityContext.runAsGroup", Range.atLeast(0)),
            entry("V1TopologySpreadConstraint.maxSkew", Range.atLeast(1)),
            entry("V1TopologySpreadConstraint.minDomains", Range.atLeast(1)),
            entry("V1PodDisruptionBudgetSpec.minAvailable", Range.atLeast(0)),
            entry("V1PodDisruptionBudgetSpec.maxUnavailable", Range.atLeast(0)),
            entry("V2HorizontalPodAutoscalerSpec.minReplicas", Range.atLeast(1)),
            entry("V2HorizontalPodAutoscalerSpec.maxReplicas", Range.atLeast(1)),
            entry("V2MetricTarget.averageUtilization", Range.atLeast(1)),
            entry("V2HPAScalingRules.stabilizationWindowSeconds", new Range(0, 3600)),
            entry("V2HPAScalingPolicy.value", Range.atLeast(1)),
            entry("V2HPAScalingPolicy.periodSeconds", new Range(1, 1800)));

    /** Prometheus durations (ServiceMonitor intervals, rule groups' intervals, alerts' for), by "ModelClass.jsonField". */
    private static final Map<String, Pattern> PATTERNS = Map.of(
            "Endpoint.interval", ServiceMonitorSchema.DURATION,
            "Endpoint.scrapeTimeout", ServiceMonitorSchema.DURATION,
            "RuleGroup.interval", ServiceMonitorSchema.DURATION,
            "RuleGroup.query_offset", ServiceMonitorSchema.DURATION,
            "Rule.for", ServiceMonitorSchema.DURATION,
            "Rule.keep_firing_for", ServiceMonitorSchema.DURATION);

    private static final Map<Class<?>, Map<String, Field>> FIELDS = new ConcurrentHashMap<>();

    private KubernetesSchema() {
    }

    /**
     * The typed model of {@code manifest}; throws an {@link IllegalArgumentException} listing every
     * schema violation, each as "{@code Kind name: .path: problem}".
     */
    static Object validate(JsonNode manifest) {
        List<String> problems = problems(manifest);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return io.kubernetes.client.openapi.JSON.getGson().fromJson(manifest.toString(), model(manifest));
    }

    /** Every schema violation of {@code manifest}, empty when it has none. */
    static List<String> problems(JsonNode manifest) {
        String type = manifest.path("apiVersion").asText() + "/" + manifest.path("kind").asText();
        String object = manifest.path("kind").asText() + " " + manifest.path("metadata").path("name").asText();
        if (!MODELS.containsKey(type)) {
            return List.of(object + ": no schema for " + type + "; known: " + MODELS.keySet());
        }
        List<String> found = new ArrayList<>();
        check(manifest, MODELS.get(type), "", found);
        semantics(manifest, found);
        return found.stream().map(problem -> object + ": " + problem).toList();
    }

    private static Class<?> model(JsonNode manifest) {
        return MODELS.get(manifest.path("apiVersion").asText() + "/" + manifest.path("kind").asText());
    }

    private static void check(JsonNode node, Type type, String path, List<String> found) {
        Class<?> raw = raw(type);
        if (raw == String.class || raw == OffsetDateTime.class) {
            expect(node.isTextual(), node, "a string", path, found);
        } else if (raw == Integer.class || raw == Long.class) {
            expect(node.isIntegralNumber(), node, "an integer", path, found);
        } else if (raw == Boolean.class) {
            expect(node.isBoolean(), node, "a boolean", path, found);
        } else if (Number.class.isAssignableFrom(raw)) {
            expect(node.isNumber(), node, "a number", path, found);
        } else if (raw == IntOrString.class) {
            expect(node.isIntegralNumber() || node.isTextual(), node, "an integer or a string", path, found);
        } else if (raw == Quantity.class) {
            expect(node.isTextual() || node.isNumber(), node, "a quantity", path, found);
        } else if (raw == Object.class) {
            return;
        } else if (List.class.isAssignableFrom(raw)) {
            if (expect(node.isArray(), node, "a list", path, found)) {
                Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
                for (int i = 0; i < node.size(); i++) {
                    check(node.get(i), element, path + "[" + i + "]", found);
                }
            }
        } else if (Map.class.isAssignableFrom(raw)) {
            if (expect(node.isObject(), node, "a map", path, found)) {
                Type value = ((ParameterizedType) type).getActualTypeArguments()[1];
                node.properties().forEach(entry -> check(entry.getValue(), value, path + "." + entry.getKey(), found));
            }
        } else if (expect(node.isObject(), node, "an object (" + raw.getSimpleName() + ")", path, found)) {
            checkObject(node, raw, path, found);
        }
    }

    private static void checkObject(JsonNode node, Class<?> model, String path, List<String> found) {
        Map<String, Field> fields = fields(model);
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String fieldPath = path + "." + entry.getKey();
            Field field = fields.get(entry.getKey());
            if (field == null) {
                found.add(fieldPath + ": unknown field `" + entry.getKey() + "` of " + model.getSimpleName());
                continue;
            }
            if (entry.getValue().isNull()) {
                continue;
            }
            check(entry.getValue(), field.getGenericType(), fieldPath, found);
            String rule = model.getSimpleName() + "." + entry.getKey();
            checkEnum(entry.getValue(), ENUMS.get(rule), fieldPath, found);
            checkRange(entry.getValue(), RANGES.get(rule), fieldPath, found);
            Pattern pattern = PATTERNS.get(rule);
            if (pattern != null && entry.getValue().isTextual() && !pattern.matcher(entry.getValue().asText()).matches()) {
                found.add(fieldPath + ": `" + entry.getValue().asText() + "` does not match " + pattern);
            }
        }
        for (String required : requiredFields(model)) {
            if (!node.hasNonNull(required)) {
                found.add(path + ": required field `" + required + "` of " + model.getSimpleName() + " is missing");
            }
        }
    }

    private static void checkEnum(JsonNode value, Set<String> allowed, String path, List<String> found) {
        if (allowed == null) {
            return;
        }
        List<JsonNode> values = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(values::add);
        } else {
            values.add(value);
        }
        values.stream().filter(JsonNode::isTextual).filter(text -> !allowed.contains(text.asText()))
                .forEach(text -> found.add(path + ": unsupported value `" + text.asText() + "`; allowed: "
                        + allowed.stream().sorted().toList()));
    }

    private static void checkRange(JsonNode value, Range range, String path, List<String> found) {
        if (range != null && value.isIntegralNumber()
                && (value.asLong() < range.min() || value.asLong() > range.max())) {
            found.add(path + ": " + value.asLong() + " is out of range "
                    + (range.max() == Long.MAX_VALUE ? ">= " + range.min() : range.min() + ".." + range.max()));
        }
    }

    /** What the API server checks across fields of one object. */
    private static void semantics(JsonNode manifest, List<String> found) {
        JsonNode spec = manifest.path("spec");
        if (manifest.path("kind").asText().equals("HorizontalPodAutoscaler")
                && spec.path("minReplicas").canConvertToInt() && spec.path("maxReplicas").canConvertToInt()
                && spec.path("minReplicas").asInt() > spec.path("maxReplicas").asInt()) {
            found.add(".spec.maxReplicas: " + spec.path("maxReplicas").asInt() + " is below minReplicas "
                    + spec.path("minReplicas").asInt());
        }
        if (manifest.path("kind").asText().equals("PodDisruptionBudget")
                && spec.has("minAvailable") && spec.has("maxUnavailable")) {
            found.add(".spec: minAvailable and maxUnavailable cannot both be set");
        }
    }

    private static boolean expect(boolean ok, JsonNode node, String what, String path, List<String> found) {
        if (!ok) {
            found.add((path.isEmpty() ? "." : path) + ": expected " + what + ", found " + describe(node));
        }
        return ok;
    }

    private static String describe(JsonNode node) {
        String kind = switch (node.getNodeType()) {
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case ARRAY -> "list";
            case OBJECT -> "object";
            default -> node.getNodeType().name().toLowerCase();
        };
        String text = node.isContainerNode() ? "" : " " + node;
        return kind + text;
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType parameterized ? (Class<?>) parameterized.getRawType() : (Class<?>) type;
    }

    private static Map<String, Field> fields(Class<?> model) {
        return FIELDS.computeIfAbsent(model, type -> {
            Map<String, Field> byName = new HashMap<>();
            for (Field field : type.getDeclaredFields()) {
                SerializedName name = field.getAnnotation(SerializedName.class);
                if (name != null && !Modifier.isStatic(field.getModifiers())) {
                    byName.put(name.value(), field);
                }
            }
            return byName;
        });
    }

    @SuppressWarnings("unchecked")
    private static Set<String> requiredFields(Class<?> model) {
        try {
            Field field = model.getDeclaredField("openapiRequiredFields");
            field.setAccessible(true);
            return (Set<String>) field.get(null);
        } catch (NoSuchFieldException e) {
            return Set.of();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
